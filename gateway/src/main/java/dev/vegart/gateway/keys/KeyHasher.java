package dev.vegart.gateway.keys;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Hashes API keys with HMAC-SHA256 under a server-side pepper ({@code VEGART_KEY_PEPPER}). A stolen
 * database alone cannot confirm a guessed key. Thread-safe.
 */
public final class KeyHasher {
  private final byte[] pepper;

  public KeyHasher(String pepper) {
    if (pepper.length() < 16) {
      throw new IllegalArgumentException("VEGART_KEY_PEPPER must have at least 16 characters");
    }
    this.pepper = pepper.getBytes(StandardCharsets.UTF_8);
  }

  public String hash(String key) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(pepper, "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(key.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  /** Constant-time comparison of two secrets of any length (both are hashed first). */
  public static boolean equalSecrets(String a, String b) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      byte[] da = sha.digest(a.getBytes(StandardCharsets.UTF_8));
      byte[] db = sha.digest(b.getBytes(StandardCharsets.UTF_8));
      return MessageDigest.isEqual(da, db);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }
}
