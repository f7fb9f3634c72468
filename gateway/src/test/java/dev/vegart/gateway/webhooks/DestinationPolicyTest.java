package dev.vegart.gateway.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vegart.common.config.ConfigException;
import java.net.InetAddress;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DestinationPolicyTest {
  private final DestinationPolicy strict = DestinationPolicy.parse("");

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1", "127.255.0.9", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1",
      "169.254.169.254", "169.254.0.1", "100.64.0.1", "100.100.100.200", "0.0.0.0", "0.1.2.3", "224.0.0.1", "239.1.1.1",
      "255.255.255.255", "240.0.0.1", "192.0.0.192", "198.18.0.1", "168.63.129.16",
      "::1", "::", "fe80::1", "fc00::1", "fd00:ec2::254", "ff02::1", "fec0::1", "::ffff:10.0.0.1", "::ffff:127.0.0.1",
      "64:ff9b::a9fe:a9fe", "2002:c0a8:0101::1", "2001:db8::1"})
  void refusesEveryAddressThatIsNotPublicUnicast(String literal) throws Exception {
    InetAddress address = InetAddress.getByName(literal);
    assertThat(AddressRules.refusal(address)).as(literal).isPresent();
    assertThat(strict.refuseAddresses("hook.example.com", List.of(address))).as(literal).isPresent();
  }

  @ParameterizedTest
  @ValueSource(strings = {"93.184.215.14", "8.8.8.8", "1.1.1.1", "172.32.0.1", "100.128.0.1", "2606:4700:4700::1111",
      "64:ff9b::808:808", "2002:0808:0808::1"})
  void acceptsPublicUnicast(String literal) throws Exception {
    assertThat(AddressRules.refusal(InetAddress.getByName(literal))).as(literal).isEmpty();
  }

  @Test
  void oneBadAddressAmongGoodOnesRefusesTheHost() throws Exception {
    List<InetAddress> mixed = List.of(InetAddress.getByName("93.184.215.14"), InetAddress.getByName("169.254.169.254"));
    assertThat(strict.refuseAddresses("rebind.example", mixed)).hasValueSatisfying(r -> assertThat(r).contains("169.254.169.254"));
    assertThat(strict.refuseAddresses("nowhere.example", List.of())).hasValueSatisfying(r -> assertThat(r).contains("does not resolve"));
  }

  @Test
  void requiresHttpsExceptForAllowListedHosts() {
    DestinationPolicy policy = DestinationPolicy.parse("127.0.0.1, receiver.internal ,10.0.0.0/8");
    assertThat(strict.refuseUrl(URI.create("http://hooks.example.com/x"))).isPresent();
    assertThat(strict.refuseUrl(URI.create("https://hooks.example.com/x"))).isEmpty();
    assertThat(policy.refuseUrl(URI.create("http://127.0.0.1:8080/x"))).isEmpty();
    assertThat(policy.refuseUrl(URI.create("http://RECEIVER.internal/x"))).isEmpty();
    assertThat(policy.refuseUrl(URI.create("http://10.9.8.7/x"))).isEmpty();
    assertThat(policy.refuseUrl(URI.create("http://11.0.0.1/x"))).isPresent();
  }

  @Test
  void allowListOverridesTheAddressRulesForTheUrlHostsItNamesOnly() throws Exception {
    DestinationPolicy policy = DestinationPolicy.parse("127.0.0.1,receiver.internal,10.0.0.0/8");
    InetAddress loopback = InetAddress.getByName("127.0.0.1");
    InetAddress private10 = InetAddress.getByName("10.20.30.40");
    InetAddress private192 = InetAddress.getByName("192.168.0.5");
    assertThat(policy.refuseAddresses("127.0.0.1", List.of(loopback))).isEmpty();
    assertThat(policy.refuseAddresses("receiver.internal", List.of(private192))).isEmpty();
    assertThat(policy.refuseAddresses("10.20.30.40", List.of(private10))).isEmpty();
    assertThat(policy.refuseAddresses("other.example", List.of(private10))).isPresent();
    assertThat(policy.refuseAddresses("localhost", List.of(loopback))).isPresent();
    assertThat(policy.refuseAddresses("other.example", List.of(private192))).isPresent();
    assertThat(policy.refuseAddresses("[::1]", List.of(InetAddress.getByName("::1")))).isPresent();
  }

  @Test
  void refusesAMalformedAllowList() {
    assertThatThrownBy(() -> DestinationPolicy.parse("10.0.0.0/33")).isInstanceOf(ConfigException.class)
        .hasMessageContaining(DestinationPolicy.KEY);
    assertThatThrownBy(() -> DestinationPolicy.parse("http://x")).isInstanceOf(ConfigException.class)
        .hasMessageContaining(DestinationPolicy.KEY);
  }
}
