package dev.vegart.gateway.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vegart.gateway.http.FieldError;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class WebhookSubscriptionTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void defaultsToTheTerminalEvents() throws Exception {
    List<FieldError> errors = new ArrayList<>();
    WebhookSubscription sub = WebhookSubscription.parse(body("{\"webhook_url\": \"https://Hooks.Example.com/in?x=1\"}"), errors);
    assertThat(errors).isEmpty();
    assertThat(sub.events()).containsExactlyInAnyOrder(WebhookEvent.SUCCEEDED, WebhookEvent.FAILED, WebhookEvent.CANCELED,
        WebhookEvent.EXPIRED);
    assertThat(sub.host()).isEqualTo("hooks.example.com");
  }

  @Test
  void readsTheChosenEvents() throws Exception {
    List<FieldError> errors = new ArrayList<>();
    WebhookSubscription sub = WebhookSubscription.parse(
        body("{\"webhook_url\": \"https://h.example/\", \"webhook_events\": [\"job.started\", \"job.succeeded\"]}"), errors);
    assertThat(errors).isEmpty();
    assertThat(sub.events()).isEqualTo(EnumSet.of(WebhookEvent.STARTED, WebhookEvent.SUCCEEDED));
  }

  @Test
  void noWebhookUrlMeansNoWebhook() throws Exception {
    List<FieldError> errors = new ArrayList<>();
    assertThat(WebhookSubscription.parse(body("{\"prompt\": \"x\"}"), errors)).isNull();
    assertThat(errors).isEmpty();
  }

  @Test
  void namesEveryMalformedField() throws Exception {
    for (String bad : new String[] {"\"ftp://h.example/\"", "\"/relative\"", "\"https://user:pw@h.example/\"",
        "\"https://h.example/#frag\"", "42", "\"https://h.example:0/\"", "\"https://" + "a".repeat(2100) + ".example/\""}) {
      List<FieldError> errors = new ArrayList<>();
      assertThat(WebhookSubscription.parse(body("{\"webhook_url\": " + bad + "}"), errors)).as(bad).isNull();
      assertThat(errors).as(bad).extracting(FieldError::field).containsExactly("webhook_url");
    }
    for (String bad : new String[] {"[]", "[\"job.done\"]", "\"job.succeeded\"", "[1]"}) {
      List<FieldError> errors = new ArrayList<>();
      WebhookSubscription.parse(body("{\"webhook_url\": \"https://h.example/\", \"webhook_events\": " + bad + "}"), errors);
      assertThat(errors).as(bad).singleElement().satisfies(e -> {
        assertThat(e.field()).isEqualTo("webhook_events");
        assertThat(e.allowed()).contains("job.started", "job.expired");
      });
    }
    List<FieldError> errors = new ArrayList<>();
    WebhookSubscription.parse(body("{\"webhook_events\": [\"job.failed\"]}"), errors);
    assertThat(errors).extracting(FieldError::field).containsExactly("webhook_events");
  }

  private static ObjectNode body(String json) throws Exception {
    return (ObjectNode) JSON.readTree(json);
  }
}
