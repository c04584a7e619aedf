package dev.rtfs.microvm.egressproxy.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtfs.microvm.egresspolicy.decision.Outcome;
import dev.rtfs.microvm.egresspolicy.decision.Reason;
import dev.rtfs.microvm.egressproxy.observe.DecisionRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** One request's bookkeeping ends in exactly one decision record. */
class RequestLedgerTest {

    private final List<DecisionRecord> records = new ArrayList<>();
    private final RequestLedger ledger = new RequestLedger("agent-1", records::add);

    @Test
    void aRequestIsRecordedOnlyOnceWhateverHappensAfter() {
        ledger.start("GET");
        ledger.target("Origin.Test", 8080);
        ledger.host("origin.test");
        ledger.addBytesIn(10);
        ledger.addBytesOut(3);
        ledger.addBytesOut(4);
        ledger.record(Outcome.ALLOW, Reason.ALLOWED, 200, "", Optional.of("127.0.0.1"), Optional.of("step-1"));
        ledger.record(Outcome.DENY, Reason.UPSTREAM_ERROR, 502, "late", Optional.empty(), Optional.empty());
        assertThat(records).singleElement().satisfies(r -> {
            assertThat(r.agentId()).isEqualTo("agent-1");
            assertThat(r.method()).isEqualTo("GET");
            assertThat(r.host()).isEqualTo("origin.test");
            assertThat(r.port()).isEqualTo(8080);
            assertThat(r.outcome()).isEqualTo("ALLOW");
            assertThat(r.bytesIn()).isEqualTo(10);
            assertThat(r.bytesOut()).isEqualTo(7);
            assertThat(r.step()).contains("step-1");
            assertThat(r.address()).contains("127.0.0.1");
        });
    }

    @Test
    void theFirstReportedReasonIsTheOneTheRecordCarries() {
        ledger.noteReported(Reason.RATE_LIMITED, "token bucket empty");
        ledger.noteReported(Reason.DLP, "found a key");
        ledger.noteAllow(Reason.DLP_REDACTED, "redacted a key");
        assertThat(ledger.outcomeNow()).isEqualTo(Outcome.REPORT);
        assertThat(ledger.allowReasonNow()).isEqualTo(Reason.RATE_LIMITED);
        assertThat(ledger.allowDetailNow()).isEqualTo("token bucket empty");
    }

    @Test
    void aRedactionIsTheReasonOfAnAllowedRequestWhenNothingWasReported() {
        ledger.noteAllow(Reason.DLP_REDACTED, "redacted a key");
        assertThat(ledger.outcomeNow()).isEqualTo(Outcome.ALLOW);
        assertThat(ledger.allowReasonNow()).isEqualTo(Reason.DLP_REDACTED);
        assertThat(ledger.allowDetailNow()).isEqualTo("redacted a key");
    }

    @Test
    void aRecordBeforeAnyHeadHasPlaceholdersAndNoDuration() {
        ledger.record(Outcome.DENY, Reason.HEADER_TIMEOUT, 408, "slow", Optional.empty(), Optional.empty());
        assertThat(records).singleElement().satisfies(r -> {
            assertThat(r.method()).isEqualTo("-");
            assertThat(r.host()).isEqualTo("-");
            assertThat(r.port()).isZero();
            assertThat(r.durationMillis()).isZero();
        });
    }
}
