package dev.rtfs.microvm.egressproxy.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rtfs.microvm.egresspolicy.decision.Reason;
import dev.rtfs.microvm.egressproxy.tls.ClientHelloParser;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A ClientHello's server names against the host its CONNECT was decided on. */
class ClientHelloCheckTest {

    @Test
    void aServerNameThatNormalizesToTheConnectHostNeedsNoRefusal() {
        ClientHelloCheck c = ClientHelloCheck.of(new ClientHelloParser.Sni("API.Origin.Test."), "api.origin.test");
        assertThat(c.refusals()).isEmpty();
        assertThat(c.tls()).isTrue();
    }

    @Test
    void everyOtherServerNameIsAMismatchInTheOrderListed() {
        ClientHelloCheck c = ClientHelloCheck.of(new ClientHelloParser.Sni(List.of("a.test", "origin.test", "b.test")),
                "origin.test");
        assertThat(c.refusals()).containsExactly(
                new Refusal(Reason.SNI_MISMATCH, "SNI \"a.test\" != CONNECT host origin.test (one of 3 server names)"),
                new Refusal(Reason.SNI_MISMATCH, "SNI \"b.test\" != CONNECT host origin.test (one of 3 server names)"));
        assertThat(c.tls()).isTrue();
    }

    @Test
    void aHelloWithoutSniIsRefusedButReportModeCouldStillTunnelIt() {
        ClientHelloCheck c = ClientHelloCheck.of(new ClientHelloParser.NoSni(), "origin.test");
        assertThat(c.refusals()).containsExactly(new Refusal(Reason.SNI_MISSING, "ClientHello without SNI"));
        assertThat(c.tls()).isTrue();
    }

    @Test
    void bytesThatAreNotTlsCanNeverOpenATunnel() {
        ClientHelloCheck c = ClientHelloCheck.of(new ClientHelloParser.NotTls("not a handshake record"), "origin.test");
        assertThat(c.refusals()).containsExactly(new Refusal(Reason.NOT_TLS, "not a handshake record"));
        assertThat(c.tls()).isFalse();
    }

    @Test
    void anIncompleteHelloCannotBeChecked() {
        assertThatThrownBy(() -> ClientHelloCheck.of(new ClientHelloParser.NeedMore(), "origin.test"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
