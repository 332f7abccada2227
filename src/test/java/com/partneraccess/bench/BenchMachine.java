package com.partneraccess.bench;

import java.nio.file.Files;
import java.nio.file.Path;

/** What the benchmarks' results files say about the machine they ran on (Linux's /proc; "unknown" elsewhere). */
final class BenchMachine {
  private BenchMachine() {}

  /** The 1, 5 and 15 minute load averages, as /proc/loadavg gives them. */
  static String loadAverage() {
    try {
      String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return parts[0] + " " + parts[1] + " " + parts[2];
    } catch (java.io.IOException | RuntimeException e) {
      return "unknown";
    }
  }

  /** The first CPU's model name. */
  static String cpuModel() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
          .findFirst().map(l -> l.substring(l.indexOf(':') + 1).strip()).orElse("unknown CPU");
    } catch (java.io.IOException e) {
      return "unknown CPU";
    }
  }
}
