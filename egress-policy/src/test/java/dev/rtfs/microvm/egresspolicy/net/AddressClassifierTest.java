package dev.rtfs.microvm.egresspolicy.net;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AddressClassifierTest {

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
        "0.0.0.0, this-network", "0.1.2.3, this-network", "10.0.0.1, private", "10.255.255.255, private",
        "100.64.0.1, cgnat", "100.127.255.255, cgnat", "127.0.0.1, loopback", "127.255.0.1, loopback",
        "169.254.169.254, metadata", "169.254.1.1, link-local", "172.16.0.1, private", "172.31.255.255, private",
        "192.168.0.1, private", "192.0.0.1, reserved", "192.0.2.1, reserved", "198.18.0.1, reserved",
        "224.0.0.1, multicast", "239.255.255.255, multicast", "240.0.0.1, reserved", "255.255.255.255, reserved",
        "::, unspecified", "::1, loopback", "::ffff:127.0.0.1, ipv4-mapped", "::ffff:8.8.8.8, ipv4-mapped",
        "::127.0.0.1, ipv4-compatible", "64:ff9b::7f00:1, nat64", "64:ff9b:1::1, nat64", "2002:7f00:1::, 6to4",
        "2001:0:4136:e378:8000:63bf:3fff:fdd2, teredo", "fc00::1, unique-local", "fd12:3456::1, unique-local",
        "fe80::1, link-local", "fec0::1, site-local", "ff02::1, multicast", "2001:db8::1, reserved",
        "fd00:ec2::254, unique-local", "100::1, reserved", "4000::1, reserved"})
    void deniedClasses(String ip, String cls) {
        assertThat(AddressClassifier.deniedClass(IpAddress.parseStrict(ip).orElseThrow())).contains(cls);
    }

    @ParameterizedTest
    @ValueSource(strings = {"93.184.216.34", "8.8.8.8", "1.1.1.1", "100.63.255.255", "100.128.0.0", "172.15.255.255",
        "172.32.0.0", "2606:2800:220:1:248:1893:25c8:1946", "2a00:1450:4001::1"})
    void publicAddressesPass(String ip) {
        assertThat(AddressClassifier.deniedClass(IpAddress.parseStrict(ip).orElseThrow())).isEmpty();
    }

    @ParameterizedTest(name = "{0} normalizes to {1}")
    @CsvSource({"Example.COM., example.com", "bücher.de, xn--bcher-kva.de", "a-b.c-d.test, a-b.c-d.test"})
    void normalizesNames(String raw, String ascii) {
        assertThat(HostNormalizer.normalize(raw)).isEqualTo(new NormalizedHost.Name(ascii));
    }

    @ParameterizedTest(name = "{0} is literal {1}")
    @CsvSource({"2130706433, 127.0.0.1", "0x7f.1, 127.0.0.1", "017700000001, 127.0.0.1", "127.1, 127.0.0.1",
        "0x7f.0x0.0x0.0x1, 127.0.0.1", "10.1, 10.0.0.1", "192.168.257, 192.168.1.1", "[::1], 0:0:0:0:0:0:0:1",
        "[::ffff:127.0.0.1], 0:0:0:0:0:ffff:7f00:1", "127.0.0.1., 127.0.0.1"})
    void recognizesLiterals(String raw, String ip) {
        assertThat(HostNormalizer.normalize(raw)).isInstanceOfSatisfying(NormalizedHost.Literal.class,
                l -> assertThat(l.address()).map(IpAddress::toString).contains(ip));
    }
}
