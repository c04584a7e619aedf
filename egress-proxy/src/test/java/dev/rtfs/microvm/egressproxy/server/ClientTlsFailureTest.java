package dev.rtfs.microvm.egressproxy.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

class ClientTlsFailureTest {

    static final Duration TIMEOUT = Duration.ofSeconds(2);

    @Test
    void aNonTlsRecordNeverEchoesTheGuestsBytes() {
        String d = ClientTlsFailure.describe(
                new DecoderException(new NotSslRecordException("not an SSL/TLS record: 41414141deadbeef")), TIMEOUT);
        assertThat(d).isEqualTo("handshake: not a TLS record");
    }

    @Test
    void theTimeoutAndAMidHandshakeCloseAreNamed() {
        assertThat(ClientTlsFailure.describe(new SslHandshakeTimeoutException("x"), TIMEOUT))
                .isEqualTo("handshake: not complete within PT2S");
        assertThat(ClientTlsFailure.describe(new ClosedChannelException(), TIMEOUT))
                .isEqualTo("handshake: connection closed mid-handshake");
    }

    @Test
    void anEngineMessageIsKeptOnOneBoundedLine() {
        assertThat(ClientTlsFailure.describe(new SSLHandshakeException("Received fatal alert: unknown_ca"), TIMEOUT))
                .isEqualTo("handshake: Received fatal alert: unknown_ca");
        javax.net.ssl.SSLException wrapped = new javax.net.ssl.SSLException("Unexpected exception",
                new SSLHandshakeException("Received fatal alert: bad_certificate"));
        assertThat(ClientTlsFailure.describe(wrapped, TIMEOUT)).isEqualTo("handshake: Received fatal alert: bad_certificate");
        String d = ClientTlsFailure.describe(new SSLHandshakeException("a\nb " + "x".repeat(1000)), TIMEOUT);
        assertThat(d).doesNotContain("\n").startsWith("handshake: a b x")
                .hasSize("handshake: ".length() + ClientTlsFailure.MAX_CAUSE_CHARS + 3);
    }
}
