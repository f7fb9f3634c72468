package dev.vegart.gateway.webhooks;

import dev.vegart.common.config.ConfigException;
import java.net.InetAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Where webhooks may go (the gateway's SSRF guard). A destination needs {@code https} and a host whose every
 * address is public ({@link AddressRules}). The operator's allow-list ({@code VEGART_WEBHOOK_ALLOW_HOSTS}:
 * host names, IP addresses and CIDR ranges, comma-separated) overrides both for the URL hosts it names: a host
 * name listed as is, or an IP-literal host inside a listed address or range, may use plain {@code http} and
 * reach any address. It is about URL hosts only: allow-listing {@code 127.0.0.1} does not let another name
 * that resolves to 127.0.0.1 through. Checked at submit and again before every attempt, on the addresses the
 * attempt then connects to.
 * Immutable and thread-safe.
 */
public final class DestinationPolicy {
  public static final String KEY = "VEGART_WEBHOOK_ALLOW_HOSTS";
  private final Set<String> hosts;
  private final List<AddressRange> ranges;

  public DestinationPolicy(Set<String> hosts, List<AddressRange> ranges) {
    this.hosts = Set.copyOf(hosts);
    this.ranges = List.copyOf(ranges);
  }

  /** Parses the allow-list; an empty text allows nothing beyond public {@code https} hosts. */
  public static DestinationPolicy parse(String allowList) {
    Set<String> hosts = new TreeSet<>();
    List<AddressRange> ranges = new ArrayList<>();
    for (String raw : allowList.split(",")) {
      String entry = raw.trim().toLowerCase(Locale.ROOT);
      if (entry.isEmpty()) {
        continue;
      }
      if (AddressRange.literal(entry.split("/", 2)[0]) != null) {
        try {
          ranges.add(AddressRange.parse(entry));
        } catch (IllegalArgumentException e) {
          throw new ConfigException(KEY, e.getMessage());
        }
      } else if (entry.matches("[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?")) {
        hosts.add(entry);
      } else {
        throw new ConfigException(KEY, "must list host names, IP addresses or CIDR ranges, got '" + raw.trim() + "'");
      }
    }
    return new DestinationPolicy(hosts, ranges);
  }

  /** Whether the URL's host is allow-listed by name, or is an IP literal inside an allow-listed range. */
  public boolean allowListed(String host) {
    String h = bare(host).toLowerCase(Locale.ROOT);
    if (hosts.contains(h)) {
      return true;
    }
    byte[] literal = AddressRange.literal(h);
    return literal != null && ranges.stream().anyMatch(r -> r.contains(literal));
  }

  /** Why the URL may not be used (scheme), before any name lookup; empty when it may. */
  public Optional<String> refuseUrl(URI url) {
    if (!"https".equals(url.getScheme()) && !allowListed(url.getHost())) {
      return Optional.of("must use https (plain http is only allowed for hosts the operator allow-lists)");
    }
    return Optional.empty();
  }

  /** Why the host's resolved addresses may not be reached; empty when every one of them may. */
  public Optional<String> refuseAddresses(String host, List<InetAddress> addresses) {
    if (addresses.isEmpty()) {
      return Optional.of("host " + bare(host) + " does not resolve");
    }
    if (allowListed(host)) {
      return Optional.empty();
    }
    for (InetAddress address : addresses) {
      Optional<String> refusal = AddressRules.refusal(address);
      if (refusal.isPresent()) {
        return Optional.of("host " + bare(host) + " resolves to " + address.getHostAddress() + ", a " + refusal.get()
            + " address that webhooks may not reach");
      }
    }
    return Optional.empty();
  }

  static String bare(String host) {
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }
}
