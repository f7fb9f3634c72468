package dev.vegart.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The admin token and key pepper: given values are used as they are, missing ones are generated long enough. */
class GatewaySecretTest {

  @Test
  void usesTheGivenTokenAndPepper() {
    Secret secret = Chart.render("gateway-secret-given", Map.of(
            "gateway.adminToken", "given-admin-token-0123",
            "gateway.keyPepper", "given-key-pepper-0123"))
        .one(Secret.class, "vegart-gateway");
    assertThat(decode(secret, "admin-token")).isEqualTo("given-admin-token-0123");
    assertThat(decode(secret, "key-pepper")).isEqualTo("given-key-pepper-0123");
  }

  @Test
  void generatesTokenAndPepperTheGatewayAccepts() {
    Secret secret = Renderings.of(ValuesCase.DEFAULTS).one(Secret.class, "vegart-gateway");
    assertThat(decode(secret, "admin-token")).hasSizeGreaterThanOrEqualTo(16).isAlphanumeric();
    assertThat(decode(secret, "key-pepper")).hasSizeGreaterThanOrEqualTo(16).isNotEqualTo(decode(secret, "admin-token"));
  }

  private static String decode(Secret secret, String key) {
    return new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
  }
}
