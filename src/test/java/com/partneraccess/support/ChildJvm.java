package com.partneraccess.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * A class of the test classpath run in its own JVM, in a chosen working folder, with a clean environment (no
 * PORT, DATABASE_URL, JWT_SECRET … inherited) and the production logging configuration. Its output (stdout and
 * stderr together) goes to a file that tests read while it runs.
 */
public final class ChildJvm implements AutoCloseable {
  private static final List<String> INHERITED = List.of("PATH", "HOME", "LANG", "TMPDIR", "JAVA_HOME");

  public final Process process;
  public final Path output;

  private ChildJvm(Process process, Path output) {
    this.process = process;
    this.output = output;
  }

  public static ChildJvm start(Path workDir, Map<String, String> env, String mainClass, String... args)
      throws IOException {
    Path output = Files.createTempFile("child-jvm", ".log");
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-XX:TieredStopAtLevel=1",
        "-Dlogback.configurationFile=logback.xml",
        "-cp", System.getProperty("java.class.path"), mainClass));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
        .redirectErrorStream(true).redirectOutput(output.toFile());
    builder.environment().keySet().removeIf(k -> !INHERITED.contains(k));
    builder.environment().putAll(env);
    return new ChildJvm(builder.start(), output);
  }

  public String output() {
    try {
      return Files.readString(output);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Waits for the first output line containing {@code text} and returns it. */
  public String awaitLine(String text, Duration timeout) {
    await().atMost(timeout).pollInterval(Duration.ofMillis(100))
        .until(() -> output().contains(text) || !process.isAlive());
    return output().lines().filter(l -> l.contains(text)).findFirst()
        .orElseThrow(() -> new AssertionError("no line with \"" + text + "\"; exit "
            + (process.isAlive() ? "none" : process.exitValue()) + "; output:\n" + output()));
  }

  /** Waits for the process to exit and returns its status. */
  public int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("still running after " + timeout + "; output:\n" + output());
    }
    return process.exitValue();
  }

  /** SIGKILL: no shutdown hook runs, as when the machine's OOM killer or an operator's kill -9 strikes. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        kill();
      }
    }
  }
}
