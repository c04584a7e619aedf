package dev.rtfs.microvm.egressproxy.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtfs.microvm.egressproxy.testing.TlsHello;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class ClientHelloParserTest {

    @Test
    void readsSniFromARealClientHello() throws Exception {
        byte[] hello = TlsHello.clientHello("api.example.test");
        assertThat(ClientHelloParser.parse(hello, hello.length)).isEqualTo(new ClientHelloParser.Sni("api.example.test"));
    }

    @Test
    void noSni() throws Exception {
        byte[] hello = TlsHello.clientHello(null);
        assertThat(ClientHelloParser.parse(hello, hello.length)).isInstanceOf(ClientHelloParser.NoSni.class);
    }

    @Test
    void everyPrefixNeedsMore() throws Exception {
        byte[] hello = TlsHello.clientHello("a.test");
        for (int n = 0; n < hello.length; n++) {
            assertThat(ClientHelloParser.parse(hello, n)).as("prefix %d", n).isInstanceOf(ClientHelloParser.NeedMore.class);
        }
    }

    @Test
    void handshakeSplitAcrossRecords() throws Exception {
        byte[] hello = TlsHello.clientHello("split.test");
        int bodyLen = ((hello[3] & 0xff) << 8) | (hello[4] & 0xff);
        byte[] body = Arrays.copyOfRange(hello, 5, 5 + bodyLen);
        int half = body.length / 2;
        byte[] two = new byte[10 + body.length];
        System.arraycopy(new byte[] {22, 3, 1, (byte) (half >> 8), (byte) half}, 0, two, 0, 5);
        System.arraycopy(body, 0, two, 5, half);
        int rest = body.length - half;
        System.arraycopy(new byte[] {22, 3, 1, (byte) (rest >> 8), (byte) rest}, 0, two, 5 + half, 5);
        System.arraycopy(body, half, two, 10 + half, rest);
        assertThat(ClientHelloParser.parse(two, two.length)).isEqualTo(new ClientHelloParser.Sni("split.test"));
    }

    @Test
    void everyServerNameOfAListIsReturnedNotOnlyTheFirst() throws Exception {
        byte[] hello = TlsHello.withServerNames(false, "allowed.test", "evil.test");
        assertThat(ClientHelloParser.parse(hello, hello.length))
                .isEqualTo(new ClientHelloParser.Sni(java.util.List.of("allowed.test", "evil.test")));
    }

    @Test
    void aSecondServerNameExtensionIsNotTls() throws Exception {
        byte[] hello = TlsHello.withServerNames(true, "allowed.test", "evil.test");
        assertThat(ClientHelloParser.parse(hello, hello.length)).isInstanceOf(ClientHelloParser.NotTls.class);
    }

    @Test
    void anEmptyNameBesideARealOneIsKept() throws Exception {
        byte[] hello = TlsHello.withServerNames(false, "allowed.test", "");
        assertThat(ClientHelloParser.parse(hello, hello.length))
                .isEqualTo(new ClientHelloParser.Sni(java.util.List.of("allowed.test", "")));
    }

    @Test
    void plainHttpIsNotTls() {
        byte[] http = "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes();
        assertThat(ClientHelloParser.parse(http, http.length)).isInstanceOf(ClientHelloParser.NotTls.class);
    }

    /** Seeded fuzz (-Dfuzz.seed=N to replay): mutated and random inputs never throw. */
    @Test
    void fuzz() throws Exception {
        long seed = Long.getLong("fuzz.seed", System.nanoTime());
        LoggerFactory.getLogger(ClientHelloParserTest.class).info("ClientHelloParser fuzz seed {}", seed);
        SplittableRandom rnd = new SplittableRandom(seed);
        byte[] base = TlsHello.clientHello("fuzz.test");
        for (int i = 0; i < 20_000; i++) {
            byte[] b;
            if (rnd.nextInt(4) == 0) {
                b = new byte[rnd.nextInt(600)];
                rnd.nextBytes(b);
            } else {
                b = base.clone();
                int flips = 1 + rnd.nextInt(6);
                for (int f = 0; f < flips; f++) {
                    b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
                }
            }
            int len = rnd.nextInt(b.length + 1);
            ClientHelloParser.Result r = ClientHelloParser.parse(b, len);
            assertThat(r).as("seed %d case %d", seed, i).isNotNull();
        }
    }
}
