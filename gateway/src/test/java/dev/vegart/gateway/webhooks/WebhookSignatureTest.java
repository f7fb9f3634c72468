package dev.vegart.gateway.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {
  // The test vector published with the Standard Webhooks reference implementations.
  private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  private static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
  private static final long TIMESTAMP = 1614265330L;
  private static final byte[] BODY = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);

  @Test
  void reproducesTheStandardWebhooksTestVector() {
    assertThat(WebhookSignature.sign(ID, TIMESTAMP, BODY, SECRET)).isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
  }

  @Test
  void signsWithEverySecretDuringARotationCurrentFirst() {
    String next = WebhookSecrets.newSecret();
    String header = WebhookSignature.header(ID, TIMESTAMP, BODY, List.of(next, SECRET));
    assertThat(header.split(" ")).containsExactly(WebhookSignature.sign(ID, TIMESTAMP, BODY, next),
        "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
  }

  @Test
  void anyChangeToIdTimestampOrBodyChangesTheSignature() {
    String base = WebhookSignature.sign(ID, TIMESTAMP, BODY, SECRET);
    assertThat(WebhookSignature.sign(ID + "x", TIMESTAMP, BODY, SECRET)).isNotEqualTo(base);
    assertThat(WebhookSignature.sign(ID, TIMESTAMP + 1, BODY, SECRET)).isNotEqualTo(base);
    assertThat(WebhookSignature.sign(ID, TIMESTAMP, "{\"test\": 2432232315}".getBytes(StandardCharsets.UTF_8), SECRET)).isNotEqualTo(base);
  }

  @Test
  void newSecretsAreWhsecPrefixedBase64OfThirtyTwoRandomBytes() {
    String a = WebhookSecrets.newSecret();
    assertThat(a).startsWith("whsec_");
    assertThat(Base64.getDecoder().decode(a.substring(6))).hasSize(32);
    assertThat(WebhookSecrets.newSecret()).isNotEqualTo(a);
  }

  @Test
  void refusesToSignWithoutASecret() {
    assertThatThrownBy(() -> WebhookSignature.header(ID, TIMESTAMP, BODY, List.of())).isInstanceOf(IllegalArgumentException.class);
  }
}
