package com.partneraccess.http;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("The content security policy lets scripts connect to this origin only")
class SecurityHeadersTest {
  private static String connectSrc(String publicUrl) {
    String policy = SecurityHeaders.policy(publicUrl);
    return policy.replaceAll("(?s).*connect-src ([^;]*);.*", "$1");
  }

  @Test
  @DisplayName("connect-src is 'self' plus the exact WebSocket origin of publicUrl, never ws: or wss: to any host")
  void onlyThisOrigin() {
    assertThat(connectSrc("https://partners.example.com")).isEqualTo("'self' wss://partners.example.com");
    assertThat(connectSrc("https://partners.example.com:8443/base")).isEqualTo("'self' wss://partners.example.com:8443");
    assertThat(connectSrc("http://localhost:8080")).isEqualTo("'self' ws://localhost:8080");
    for (String url : new String[] {"https://a.example", "http://localhost:8080"}) {
      assertThat(connectSrc(url).split(" ")).doesNotContain("ws:", "wss:");
    }
  }
}
