package com.partneraccess.db;

import com.partneraccess.support.TestApp;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The running service and its embedded PostgreSQL: a postmaster that dies is started again. */
@DisplayName("Embedded PostgreSQL while the service runs")
class EmbeddedRestartTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  @DisplayName("When the embedded postmaster is killed (SIGKILL), the service restarts it and /health is UP again")
  void killedPostmasterIsRestarted(@TempDir Path dataDir) throws Exception {
    try (TestApp app = TestApp.start(new JsonObject().put("db", new JsonObject().put("dataDir", dataDir.toString())),
        null)) {
      Path pgData = EmbeddedDatabase.pgData(dataDir);
      long pid = EmbeddedDatabase.readPid(pgData).orElseThrow();
      assertThat(health(app)).isEqualTo(200);

      ProcessHandle postmaster = ProcessHandle.of(pid).orElseThrow();
      postmaster.descendants().forEach(ProcessHandle::destroyForcibly);
      postmaster.destroyForcibly();

      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
        Optional<Long> now = EmbeddedDatabase.readPid(pgData);
        assertThat(now).isPresent().isNotEqualTo(Optional.of(pid));
        assertThat(health(app)).isEqualTo(200);
      });
    }
  }

  private static int health(TestApp app) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(app.baseUrl() + "/health")).timeout(Duration.ofSeconds(5))
        .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
