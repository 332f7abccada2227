package com.partneraccess.support;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.ServerSocket;

/** An in-process SMTP server (GreenMail) on a free port, and the service configuration that sends to it. */
public final class TestSmtp {
  public final GreenMail server;
  public final int port;

  private TestSmtp(GreenMail server, int port) {
    this.server = server;
    this.port = port;
  }

  public static TestSmtp start() {
    try (ServerSocket s = new ServerSocket(0)) {
      int port = s.getLocalPort();
      s.close();
      GreenMail mail = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
      mail.start();
      return new TestSmtp(mail, port);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Overrides for {@link TestApp#start(JsonObject)}. */
  public JsonObject config() {
    return new JsonObject().put("mail", new JsonObject().put("host", "127.0.0.1").put("port", port)
        .put("from", "Partner access <no-reply@example.test>"));
  }

  public void stop() {
    server.stop();
  }
}
