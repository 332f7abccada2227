package com.partneraccess.http;

import com.partneraccess.activity.ActivityService;
import com.partneraccess.activity.CsvExport;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * R32: sends an activity export as a CSV attachment, streamed (chunked) straight from
 * {@link ActivityService#writeCsv}, for the API and the page alike. Once the first bytes are out a failure cannot
 * become a problem document any more: the connection is reset, so the client sees a broken download rather than a
 * file that looks complete.
 */
public final class CsvDownload {
  private static final Logger LOG = LoggerFactory.getLogger(CsvDownload.class);

  private CsvDownload() {}

  public static Future<Void> send(RoutingContext ctx, ActivityService activity, CsvExport export) {
    HttpServerResponse res = ctx.response();
    res.setChunked(true)
        .putHeader("Content-Type", "text/csv; charset=utf-8")
        .putHeader("Content-Disposition", "attachment; filename=\"" + export.filename() + "\"")
        .putHeader("Cache-Control", "no-store");
    return activity.writeCsv(export, res).compose(rows -> res.end()).recover(err -> {
      LOG.warn("activity export stopped after its first bytes: {}", err.toString());
      if (!res.ended() && !res.closed()) {
        res.reset();
      }
      return Future.succeededFuture();
    });
  }
}
