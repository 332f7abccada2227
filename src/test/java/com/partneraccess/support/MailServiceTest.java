package com.partneraccess.support;

import com.icegreen.greenmail.util.GreenMail;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** A test class whose service sends its emails to an in-process SMTP server the test can read. */
public abstract class MailServiceTest {
  protected static TestSmtp mail;
  protected static GreenMail smtp;
  protected static TestApp app;
  protected static ApiClient api;

  @BeforeAll
  static void startServiceWithMail() {
    mail = TestSmtp.start();
    smtp = mail.server;
    app = TestApp.start(mail.config());
    api = app.api();
  }

  @AfterAll
  static void stopServiceWithMail() {
    app.close();
    mail.stop();
  }
}
