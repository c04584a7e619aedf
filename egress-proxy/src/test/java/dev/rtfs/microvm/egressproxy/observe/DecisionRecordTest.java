package dev.rtfs.microvm.egressproxy.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DecisionRecordTest {

    @Test
    void guestChosenTextInALogLineCannotBreakTheLineReorderItOrHideIt() {
        String sni = "evil\n egress decision=ALLOW \u202Egnp.exe\u2066\u0085\u009b31m\u2028\"";
        DecisionRecord r = new DecisionRecord(Instant.EPOCH, "a", Optional.of("s"), "CONNECT", "h", 443,
                Optional.empty(), "DENY", "sni-mismatch", 403, sni, 0, 0, 1);
        String line = r.toLogLine();
        assertThat(line).doesNotContain("\n", "\u202E", "\u2066", "\u0085", "\u009b", "\u2028")
                .contains("detail=\"evil\\x0a egress decision=ALLOW \\u202egnp.exe\\u2066\\u0085\\u009b31m\\u2028'\"");
        assertThat(line.codePoints().filter(cp -> Character.isISOControl(cp)
                || Character.getType(cp) == Character.FORMAT)).isEmpty();
    }
}
