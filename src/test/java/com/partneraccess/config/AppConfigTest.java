package com.partneraccess.config;

import com.partneraccess.Main;
import com.partneraccess.db.DatabaseUrl;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayName("Configuration")
class AppConfigTest {

  @Test
  @DisplayName("The environment keys override the file and conf/config.json parses")
  void environmentOverrides() throws Exception {
    JsonObject file = AppConfig.defaults().mergeIn(new JsonObject(Files.readString(Path.of("conf/config.json"))), true);
    AppConfig base = AppConfig.from(file.copy());
    assertThat(base.db().url()).isNull();
    assertThat(base.policy().expiryDays()).isEqualTo(60);
    assertThat(base.policy().jobThreshold()).isEqualTo(100);
    assertThat(base.testClock()).isFalse();
    assertThat(base.auth().secretGenerated()).isTrue();

    AppConfig env = AppConfig.from(file.copy().put("PORT", "9099").put("DATABASE_URL", "postgresql://u:p%40ss@db:5433/app")
        .put("JWT_SECRET", "s3cret").put("DATA_DIR", "/tmp/x").put("TEST_CLOCK", "true"));
    assertThat(env.http().port()).isEqualTo(9099);
    assertThat(env.db().url()).isEqualTo("postgresql://u:p%40ss@db:5433/app");
    assertThat(env.db().dataDir()).isEqualTo(Path.of("/tmp/x"));
    assertThat(env.auth().jwtSecret()).isEqualTo("s3cret");
    assertThat(env.auth().secretGenerated()).isFalse();
    assertThat(env.testClock()).isTrue();
  }

  @Test
  @DisplayName("Without a config file the defaults in the jar are the documented ones (R13 on from 2020-07-01)")
  void defaultsInTheJar() {
    Vertx vertx = Vertx.vertx();
    System.setProperty("config", "no-such-folder/config.json");
    try {
      AppConfig config = AppConfig.from(Main.loadConfig(vertx).await());
      assertThat(config.policy().ruleFrom()).isEqualTo(Instant.parse("2020-07-01T00:00:00Z"));
      assertThat(config.commission().plans()).containsOnlyKeys("starter", "standard", "premium");
      assertThat(config.credits().tiers()).extracting(AppConfig.Tier::name)
          .containsExactly("Bronze", "Silver", "Gold", "Platinum");
      assertThat(config.demoEnabled()).isTrue();
      assertThat(config.http().allowedOrigins()).contains("http://localhost:8080", "http://127.0.0.1:8080");
    } finally {
      System.clearProperty("config");
      vertx.close().await();
    }
  }

  @Test
  @DisplayName("A file overrides one key and keeps the other defaults; the public URL follows the port")
  void fileOnlyOverrides(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("config.json");
    Files.writeString(file, "{ \"http\": { \"port\": 9123 }, \"policy\": { \"expiryDays\": 30 } }");
    Vertx vertx = Vertx.vertx();
    System.setProperty("config", file.toString());
    try {
      AppConfig config = AppConfig.from(Main.loadConfig(vertx).await());
      assertThat(config.policy().expiryDays()).isEqualTo(30);
      assertThat(config.policy().jobThreshold()).isEqualTo(100);
      assertThat(config.http().publicUrl()).isEqualTo("http://localhost:9123");
      assertThat(config.http().allowedOrigins()).contains("http://localhost:9123", "http://127.0.0.1:9123");
    } finally {
      System.clearProperty("config");
      vertx.close().await();
    }
  }

  @Test
  @DisplayName("A ruleFrom that is not an instant is an error naming policy.ruleFrom")
  void badRuleFrom() {
    JsonObject json = AppConfig.defaults().put("policy", new JsonObject().put("ruleFrom", "soon"));
    assertThatThrownBy(() -> AppConfig.from(json)).isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("policy.ruleFrom must be an instant");
  }

  @Test
  @DisplayName("A DATABASE_URL that cannot be read is an error naming DATABASE_URL, never a null host")
  void badDatabaseUrl() {
    assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://u:p@db:notaport/app"))
        .hasMessageStartingWith("DATABASE_URL the port \"notaport\" is not a number").hasMessageNotContaining("p@");
    assertThatThrownBy(() -> DatabaseUrl.parse("mysql://db/app")).hasMessageStartingWith("DATABASE_URL");
    assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://u:p@:5432/app")).hasMessageContaining("no host");
    DatabaseUrl ipv6 = DatabaseUrl.parse("postgres://[::1]:6543/app?sslmode=require");
    assertThat(ipv6.host()).isEqualTo("::1");
    assertThat(ipv6.port()).isEqualTo(6543);
    assertThat(ipv6.database()).isEqualTo("app");
    assertThat(ipv6.user()).isEqualTo("postgres");
  }

  @Test
  @DisplayName("A DATABASE_URL is read into host, port, database and credentials")
  void databaseUrl() {
    DatabaseUrl url = DatabaseUrl.parse("postgresql://u:p%40ss@db:5433/app");
    assertThat(url.host()).isEqualTo("db");
    assertThat(url.port()).isEqualTo(5433);
    assertThat(url.database()).isEqualTo("app");
    assertThat(url.user()).isEqualTo("u");
    assertThat(url.password()).isEqualTo("p@ss");
    assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db:5433/app");
  }
}
