package dev.rtfs.microvm.egressproxy.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtfs.microvm.egresspolicy.acl.TlsMode;
import dev.rtfs.microvm.egresspolicy.acl.TlsRules;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.OpenSslContext;
import io.netty.handler.ssl.ReferenceCountedOpenSslEngine;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class TlsProviderTest {

    /** netty-tcnative ships BoringSSL for linux-x86_64: elsewhere skip locally, and fail under CI=true. */
    private static void requireBoringSsl() {
        boolean ok = OpenSsl.isAvailable();
        if (!ok && "true".equals(System.getenv("CI"))) {
            Assertions.fail("BoringSSL (netty-tcnative) must load under CI: " + OpenSsl.unavailabilityCause());
        }
        Assumptions.assumeTrue(ok, "BoringSSL not loadable here: " + OpenSsl.unavailabilityCause());
    }

    @Test
    void interceptionLeavesAreServedByBoringSslWhereItLoads() {
        requireBoringSsl();
        assertThat(TlsProvider.chosen()).isEqualTo(SslProvider.OPENSSL);
        assertThat(InterceptionCa.create().serverContext("origin.test")).isInstanceOf(OpenSslContext.class);
    }

    @Test
    void upstreamHandshakesRunOnBoringSslAndStillIdentifyTheHostByHttps() {
        requireBoringSsl();
        TlsRules rules = TlsRules.TUNNEL.withMode(TlsMode.INTERCEPT);
        UpstreamTls.Result r = new UpstreamTls().handler(ByteBufAllocator.DEFAULT, "origin.test", 443, rules);
        assertThat(r).isInstanceOf(UpstreamTls.Ready.class);
        SslHandler h = ((UpstreamTls.Ready) r).handler();
        try {
            assertThat(h.engine()).isInstanceOf(ReferenceCountedOpenSslEngine.class);
            assertThat(h.engine().getSSLParameters().getEndpointIdentificationAlgorithm()).isEqualTo("HTTPS");
            assertThat(h.engine().getPeerHost()).isEqualTo("origin.test");
        } finally {
            ReferenceCountUtil.release(h.engine());
        }
    }
}
