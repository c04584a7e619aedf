package dev.rtfs.microvm.egressproxy.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.Test;

/** Headers that describe one connection never cross the proxy. */
class HopByHopTest {

    @Test
    void theFixedHopByHopHeadersGoAndEndToEndOnesStay() {
        HttpHeaders h = new DefaultHttpHeaders().add("Connection", "keep-alive").add("Keep-Alive", "timeout=5")
                .add("Proxy-Authorization", "Basic eA==").add("TE", "trailers").add("Upgrade", "h2c")
                .add("Proxy-Connection", "keep-alive").add("Accept", "*/*");
        HopByHop.strip(h, h.copy());
        assertThat(h.names()).containsExactly("Accept");
    }

    @Test
    void everyHeaderTheConnectionHeaderNamesGoesToo() {
        HttpHeaders h = new DefaultHttpHeaders().add("Connection", "X-Secret , x-other").add("Connection", "close")
                .add("X-Secret", "1").add("X-Other", "2").add("X-Kept", "3");
        HopByHop.strip(h, h.copy());
        assertThat(h.names()).containsExactly("X-Kept");
    }
}
