package com.partneraccess.config;

import com.partneraccess.db.DatabaseUrl;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("Configuration")
class AppConfigTest {

  @Test
  @DisplayName("The environment keys override the file and conf/config.json parses")
  void environmentOverrides() throws Exception {
    JsonObject file = new JsonObject(Files.readString(Path.of("conf/config.json")));
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
