package dev.vegart.gateway.webhooks;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Which IP addresses a webhook may never reach unless the operator allow-lists them: everything that is not
 * ordinary public unicast. The lists follow the IANA special-purpose registries, plus the cloud metadata
 * services that sit on public addresses. IPv6 forms that embed an IPv4 address (mapped, NAT64, 6to4) are
 * judged by the IPv4 address they carry.
 */
public final class AddressRules {
  private record Rule(AddressRange range, String reason) {}

  private static final List<Rule> RULES = List.of(
      rule("0.0.0.0/8", "'this network'"),
      rule("10.0.0.0/8", "private"),
      rule("100.64.0.0/10", "carrier-grade NAT (includes a cloud metadata service)"),
      rule("127.0.0.0/8", "loopback"),
      rule("169.254.0.0/16", "link-local (includes the cloud metadata service 169.254.169.254)"),
      rule("172.16.0.0/12", "private"),
      rule("192.0.0.0/24", "IETF protocol assignments (includes a cloud metadata service)"),
      rule("192.0.2.0/24", "documentation"),
      rule("192.88.99.0/24", "6to4 relay"),
      rule("192.168.0.0/16", "private"),
      rule("198.18.0.0/15", "benchmarking"),
      rule("198.51.100.0/24", "documentation"),
      rule("203.0.113.0/24", "documentation"),
      rule("168.63.129.16/32", "the Azure metadata and DNS service"),
      rule("224.0.0.0/4", "multicast"),
      rule("240.0.0.0/4", "reserved or broadcast"),
      rule("::/96", "unspecified, loopback or IPv4-compatible"),
      rule("100::/64", "discard-only"),
      rule("2001::/32", "Teredo"),
      rule("2001:db8::/32", "documentation"),
      rule("fc00::/7", "unique local (private; includes the cloud metadata service fd00:ec2::254)"),
      rule("fe80::/10", "link-local"),
      rule("fec0::/10", "site-local"),
      rule("ff00::/8", "multicast"));
  private static final AddressRange NAT64 = AddressRange.parse("64:ff9b::/96");
  private static final AddressRange SIX_TO_FOUR = AddressRange.parse("2002::/16");

  private AddressRules() {}

  private static Rule rule(String range, String reason) {
    return new Rule(AddressRange.parse(range), reason);
  }

  /** Why {@code address} must not be reached, or empty when it is public unicast. */
  public static Optional<String> refusal(InetAddress address) {
    byte[] bytes = address.getAddress();
    if (bytes.length == 16 && NAT64.contains(bytes)) {
      return embedded(Arrays.copyOfRange(bytes, 12, 16), "NAT64");
    }
    if (bytes.length == 16 && SIX_TO_FOUR.contains(bytes)) {
      return embedded(Arrays.copyOfRange(bytes, 2, 6), "6to4");
    }
    for (Rule rule : RULES) {
      if (rule.range().contains(bytes)) {
        return Optional.of(rule.reason());
      }
    }
    return Optional.empty();
  }

  private static Optional<String> embedded(byte[] v4, String kind) {
    try {
      return refusal(InetAddress.getByAddress(v4)).map(r -> kind + " address embedding a " + r + " IPv4 address");
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }
}
