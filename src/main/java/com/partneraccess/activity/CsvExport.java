package com.partneraccess.activity;

import java.time.Instant;
import java.time.ZoneId;
import java.util.UUID;

/**
 * R32: an export the owner was allowed to ask for, with its validated range: only
 * {@link ActivityService#csvExport} makes one (after the permission check), and only
 * {@link ActivityService#writeCsv} writes it. The adapter reads the file name for its Content-Disposition.
 */
public final class CsvExport {
  final UUID accountId;
  final Instant from;
  final Instant to;
  final ZoneId zone;
  private final String filename;

  CsvExport(UUID accountId, Instant from, Instant to, ZoneId zone, String filename) {
    this.accountId = accountId;
    this.from = from;
    this.to = to;
    this.zone = zone;
    this.filename = filename;
  }

  /** A name made of dates and ASCII only, safe in a quoted Content-Disposition. */
  public String filename() {
    return filename;
  }
}
