package dev.vegart.gateway.webhooks;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IPv4 or IPv6 prefix such as {@code 10.0.0.0/8} or {@code fc00::/7}; a bare address is a full-length prefix.
 *
 * @param network the prefix's bytes (4 or 16)
 * @param bits how many leading bits must match
 */
public record AddressRange(byte[] network, int bits) {

  public AddressRange {
    network = network.clone();
    if (bits < 0 || bits > network.length * 8) {
      throw new IllegalArgumentException("prefix length " + bits + " out of range");
    }
  }

  /** Parses {@code ADDRESS} or {@code ADDRESS/BITS}; only IP literals are accepted (no name lookup). */
  public static AddressRange parse(String text) {
    String[] parts = text.trim().split("/", 2);
    byte[] address = literal(parts[0]);
    if (address == null) {
      throw new IllegalArgumentException("'" + text + "' is not an IP address or CIDR range");
    }
    try {
      int bits = parts.length == 2 ? Integer.parseInt(parts[1]) : address.length * 8;
      return new AddressRange(address, bits);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' has an invalid prefix length");
    }
  }

  /** The bytes of an IPv4 or IPv6 literal (brackets allowed), or null when {@code text} is not one. */
  static byte[] literal(String text) {
    String s = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
    boolean v4 = s.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    boolean v6 = s.contains(":") && s.matches("[0-9A-Fa-f:.]+");
    if (!v4 && !v6) {
      return null;
    }
    try {
      // With a literal, getByName parses and never queries DNS.
      return InetAddress.getByName(s).getAddress();
    } catch (UnknownHostException e) {
      return null;
    }
  }

  public boolean contains(InetAddress address) {
    return contains(address.getAddress());
  }

  boolean contains(byte[] address) {
    if (address.length != network.length) {
      return false;
    }
    int full = bits / 8;
    for (int i = 0; i < full; i++) {
      if (address[i] != network[i]) {
        return false;
      }
    }
    int rest = bits % 8;
    if (rest == 0) {
      return true;
    }
    int mask = (0xff << (8 - rest)) & 0xff;
    return (address[full] & mask) == (network[full] & mask);
  }
}
