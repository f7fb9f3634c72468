package dev.vegart.stack.webhooks;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A receiver's check of a Standard Webhooks v1 signature, written from the spec alone (it shares no code with
 * the gateway): HMAC-SHA256 keyed with the base64 part of the {@code whsec_} secret over
 * {@code id.timestamp.body}, compared in constant time with every {@code v1,} entry of the header, and the
 * timestamp within a tolerance of now.
 */
final class StandardWebhooksVerifier {
  private StandardWebhooksVerifier() {}

  static boolean verify(String secret, String id, String timestamp, String signatureHeader, String body, long nowSeconds) {
    if (id == null || timestamp == null || signatureHeader == null) {
      return false;
    }
    if (Math.abs(nowSeconds - Long.parseLong(timestamp)) > 300) {
      return false;
    }
    try {
      byte[] key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      byte[] expected = mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
      for (String entry : signatureHeader.split(" ")) {
        String[] parts = entry.split(",", 2);
        if (parts.length == 2 && parts[0].equals("v1")
            && MessageDigest.isEqual(expected, Base64.getDecoder().decode(parts[1]))) {
          return true;
        }
      }
      return false;
    } catch (Exception e) {
      throw new AssertionError("verification could not run", e);
    }
  }
}
