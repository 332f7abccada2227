package com.partneraccess;

import com.partneraccess.support.ChildJvm;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code Main} as an operator starts it: its own JVM, its own working folder, only environment variables. */
@DisplayName("Start-up")
class StartupTest {
  private static final Duration CONFIG_ERROR_EXIT = Duration.ofSeconds(30);

  @Test
  @DisplayName("Started from an empty folder, the service uses the documented defaults: R11-R13 on from 2020-07-01")
  void emptyFolderUsesTheDefaultsInTheJar(@TempDir Path folder) throws Exception {
    int port = freePort();
    try (ChildJvm app = ChildJvm.start(folder, Map.of("PORT", String.valueOf(port)), Main.class.getName())) {
      String line = app.awaitLine("listening on", Duration.ofSeconds(120));
      assertThat(line)
          .contains("port " + port)
          .contains("public URL http://localhost:" + port)
          .contains("60-day rule is on from 2020-07-01T00:00:00Z after 100 jobs");
      assertThat(app.output()).contains("creating demo data");
      HttpResponse<String> health = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/health")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(health.statusCode()).isEqualTo(200);
    }
  }

  @Test
  @DisplayName("A malformed config.json is one line naming the file and line, and exit status 2")
  void malformedFile(@TempDir Path folder) throws Exception {
    Files.createDirectories(folder.resolve("conf"));
    Files.writeString(folder.resolve("conf/config.json"), "{\n  \"http\": {\n    \"port\": 8080,,\n  }\n}\n");
    assertOneLineError(folder, Map.of(), "conf/config.json line 3");
  }

  @Test
  @DisplayName("A key of the wrong type is one line naming the key and the file")
  void wrongType(@TempDir Path folder) throws Exception {
    Files.createDirectories(folder.resolve("conf"));
    Files.writeString(folder.resolve("conf/config.json"), "{ \"policy\": { \"expiryDays\": \"sixty\" } }");
    assertOneLineError(folder, Map.of(), "conf/config.json: policy.expiryDays must be a number, got \"sixty\"");
  }

  @Test
  @DisplayName("A port in use is one line naming the port")
  void portTaken(@TempDir Path folder) throws Exception {
    try (ServerSocket taken = new ServerSocket(0)) {
      int port = taken.getLocalPort();
      assertOneLineError(folder, Map.of("PORT", String.valueOf(port)), "port " + port + " is already in use");
    }
  }

  @Test
  @DisplayName("A DATABASE_URL whose port is not a number is one line naming DATABASE_URL")
  void databaseUrlPortNotANumber(@TempDir Path folder) throws Exception {
    assertOneLineError(folder, Map.of("DATABASE_URL", "postgresql://app:secret@db.internal:notaport/app",
        "JWT_SECRET", "x".repeat(40)), "DATABASE_URL the port \"notaport\" is not a number");
  }

  @Test
  @DisplayName("Without JWT_SECRET, an https public URL or an external database refuses to start")
  void productionNeedsJwtSecret(@TempDir Path folder) throws Exception {
    assertOneLineError(folder, Map.of("PUBLIC_URL", "https://partners.example.com"),
        "JWT_SECRET is not set: refusing to start with the https public URL https://partners.example.com");
    assertOneLineError(folder, Map.of("DATABASE_URL", "postgresql://app:secret@db.internal:5432/app"),
        "JWT_SECRET is not set: refusing to start with an external database");
  }

  private static void assertOneLineError(Path folder, Map<String, String> env, String expected) throws Exception {
    try (ChildJvm app = ChildJvm.start(folder, env, Main.class.getName())) {
      int status = app.awaitExit(CONFIG_ERROR_EXIT);
      String output = app.output();
      List<String> errors = output.lines().filter(l -> l.contains(" ERROR ")).toList();
      assertThat(status).as(output).isNotZero();
      assertThat(errors).as(output).hasSize(1);
      assertThat(errors.get(0)).contains(expected);
      assertThat(output).as("no stack trace").doesNotContain("\tat ").doesNotContain("Exception:");
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
