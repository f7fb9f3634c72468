package dev.vegart.stack.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vegart.stack.LocalStack;
import dev.vegart.stack.SharedStack;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A JDK HttpClient as most Java callers build it (HTTP/2 preferred, so every fresh connection's first GET asks
 * to upgrade to clear-text HTTP/2) always gets its answer. With h2c enabled on the gateway, about one such
 * request in seven stalled for good here, past its own timeout: it hung this suite's CI run for 90 minutes.
 */
class Http2UpgradeIT {
  @Test
  void freshDefaultJdkClientsAlwaysGetTheirAnswerOverHttp11() throws Exception {
    LocalStack stack = SharedStack.get();
    List<String> outcomes = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      HttpRequest request = HttpRequest.newBuilder(URI.create(stack.url() + "/openapi.json")).timeout(Duration.ofSeconds(5)).build();
      try {
        HttpResponse<String> r = client.sendAsync(request, HttpResponse.BodyHandlers.ofString()).get(10, TimeUnit.SECONDS);
        outcomes.add(r.statusCode() + " " + r.version());
      } catch (java.util.concurrent.TimeoutException e) {
        outcomes.add("no answer in 10 s");
      }
    }
    assertThat(outcomes).containsOnly("200 HTTP_1_1");
  }
}
