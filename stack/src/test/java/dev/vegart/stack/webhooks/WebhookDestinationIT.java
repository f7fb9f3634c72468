package dev.vegart.stack.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vegart.stack.Http;
import dev.vegart.stack.LocalStack;
import dev.vegart.stack.SharedStack;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The SSRF guard at submit: private, loopback and metadata destinations are refused unless allow-listed. */
class WebhookDestinationIT {
  private static LocalStack stack;
  private static WebhookClient api;
  private static WebhookClient.Key key;

  @BeforeAll
  static void start() {
    stack = SharedStack.get();
    api = new WebhookClient(new Http(stack.url()));
    key = api.createKey(stack.adminToken());
  }

  @ParameterizedTest
  @CsvSource({
      "https://10.1.2.3/hook, private",
      "https://192.168.0.10/hook, private",
      "https://172.20.0.5:8443/hook, private",
      "https://169.254.169.254/latest/meta-data/, 169.254.169.254",
      "https://[fd00:ec2::254]/latest/meta-data/, metadata",
      "https://100.100.100.200/latest/meta-data/, metadata",
      "https://[::1]:9/hook, loopback",
      "https://127.0.0.2:9/hook, loopback",
      "https://0.0.0.0:9/hook, this network",
      "https://[::ffff:10.0.0.1]/hook, private",
      "https://224.0.0.1/hook, multicast",
      "http://93.184.215.14/hook, https",
      "https://no-such-host.invalid/hook, does not resolve",
      "ftp://127.0.0.1/hook, http(s)",
  })
  void refusesDestinationsThatAreNotPublicHttpsAtSubmit(String url, String mentioned) {
    HttpResponse<String> r = api.submit(key, url, null);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    JsonObject problem = new JsonObject(r.body());
    assertThat(problem.getJsonArray("errors").getJsonObject(0).getString("field")).isEqualTo("webhook_url");
    assertThat(problem.encode()).contains(mentioned);
  }

  @Test
  void acceptsTheAllowListedLoopbackAddressOverPlainHttp() {
    HttpResponse<String> r = api.submit(key, "http://127.0.0.1:9/allowed", new JsonArray().add("job.failed"));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    JsonObject job = new JsonObject(r.body());
    assertThat(job.getString("webhook_url")).isEqualTo("http://127.0.0.1:9/allowed");
    assertThat(job.getJsonArray("webhook_events").getList()).containsExactly("job.failed");
    assertThat(job.getString("webhook_status")).isEqualTo("none");
  }

  @Test
  void refusesMalformedWebhookEventsNamingTheAllowedOnes() {
    HttpResponse<String> r = api.submit(key, "http://127.0.0.1:9/x", new JsonArray().add("job.done"));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
    assertThat(r.body()).contains("webhook_events").contains("job.started").contains("job.expired");
  }
}
