package dev.vegart.gateway.webhooks;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Standard Webhooks v1 signatures: {@code v1,} + base64 of HMAC-SHA256 over {@code id.timestamp.body}, keyed
 * with the base64-decoded part of a {@code whsec_} secret. With several secrets (a rotation in progress) the
 * header lists one signature per secret, space-separated, and a receiver accepts any. Stateless, thread-safe.
 */
public final class WebhookSignature {
  public static final String PREFIX = "whsec_";

  private WebhookSignature() {}

  /** The {@code webhook-signature} header value for this message under every given secret, in order. */
  public static String header(String id, long timestampSeconds, byte[] body, List<String> secrets) {
    if (secrets.isEmpty()) {
      throw new IllegalArgumentException("no secret to sign with");
    }
    return secrets.stream().map(s -> sign(id, timestampSeconds, body, s)).collect(Collectors.joining(" "));
  }

  /** One {@code v1,...} signature. */
  public static String sign(String id, long timestampSeconds, byte[] body, String secret) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key(secret), "HmacSHA256"));
      mac.update((id + "." + timestampSeconds + ".").getBytes(StandardCharsets.UTF_8));
      return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  static byte[] key(String secret) {
    String encoded = secret.startsWith(PREFIX) ? secret.substring(PREFIX.length()) : secret;
    return Base64.getDecoder().decode(encoded);
  }
}
