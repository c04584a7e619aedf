package dev.rtfs.microvm.supervisor;

import dev.rtfs.microvm.controlplane.chain.HeadStatus;
import dev.rtfs.microvm.controlplane.chain.VerifyReport;
import dev.rtfs.microvm.egresspolicy.decision.Outcome;
import dev.rtfs.microvm.egressproxy.observe.DecisionRecord;
import dev.rtfs.microvm.rtfslang.PrintableText;
import dev.rtfs.microvm.rtfslang.TextTable;
import java.util.ArrayList;
import java.util.List;

/** The step table {@code run} prints: one row per step, then the boots and the chain's verification. */
public final class RunTable {

    private static final List<String> HEADER = List.of("#", "STEP", "STATUS", "CALLS", "TIME_MS", "EGRESS", "RESULT");
    private static final int RESULT_WIDTH = 60;

    private RunTable() {}

    public static String render(RunReport r) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(HEADER);
        for (StepOutcome s : r.steps()) {
            String result = s.failure().orElseGet(() -> s.calls().isEmpty() ? "-"
                    : s.calls().getLast().result().value().map(Object::toString).orElse("-"));
            rows.add(List.of(Integer.toString(s.index()), s.name(), s.status().name().toLowerCase().replace('_', ' '),
                    Integer.toString(s.calls().size()), Long.toString(s.elapsed().toMillis()), egress(r.egressOf(s.name())),
                    shorten(result)));
        }
        StringBuilder out = new StringBuilder(TextTable.render(rows));
        out.append("agent ").append(r.agentId()).append(": ").append(r.attempts())
                .append(r.attempts() == 1 ? " boot" : " boots").append(", accelerator ").append(r.accelerator()).append('\n');
        r.problem().ifPresent(p -> out.append("problem: ").append(p).append('\n'));
        r.chain().ifPresent(c -> out.append(switch (c) {
            case VerifyReport.Valid v -> "causal chain: " + v.records() + " records, intact (head " + v.headSeq() + " "
                    + v.headHash().substring(0, 16) + "…" + switch (v.head()) {
                        case HeadStatus.Signed h when h.signatureChecked() -> ", signed by key " + h.head().keyId() + ")";
                        case HeadStatus.UnsignedTail t -> "; signed only up to seq " + t.head().seq() + ")";
                        default -> "; head NOT signed)";
                    };
            case VerifyReport.Invalid i -> "causal chain: BROKEN at seq " + i.seq() + ": " + i.reason();
        }).append(" — ").append(r.runDir().resolve("chain")).append('\n'));
        return out.toString();
    }

    /** "-", "1 allowed", "1 denied (403)", "2 allowed, 1 denied (403)". */
    static String egress(List<DecisionRecord> decisions) {
        long denied = decisions.stream().filter(RunTable::denied).count();
        long allowed = decisions.size() - denied;
        List<String> parts = new ArrayList<>();
        if (allowed > 0) {
            parts.add(allowed + " allowed");
        }
        if (denied > 0) {
            parts.add(denied + " denied (" + decisions.stream().filter(RunTable::denied)
                    .map(d -> Integer.toString(d.status())).distinct().collect(java.util.stream.Collectors.joining(", ")) + ")");
        }
        return parts.isEmpty() ? "-" : String.join(", ", parts);
    }

    /** The egress decisions (each also in the causal chain), one line each (the table's EGRESS column in full). */
    public static String renderEgress(RunReport r) {
        StringBuilder out = new StringBuilder("egress decisions (from the causal chain): ")
                .append(r.egress().isEmpty() ? "none" : "").append('\n');
        r.egress().forEach(d -> out.append("  ").append(line(d)).append('\n'));
        return out.toString();
    }

    /** {@code step fetch-index: GET example.com:80 -> ALLOW (allowed, status 200)}, printable. */
    static String line(DecisionRecord d) {
        return PrintableText.of("step " + d.step().orElse("-") + ": " + d.method() + " " + d.host() + ":" + d.port()
                + " -> " + d.outcome() + " (" + d.reason() + ", status " + d.status() + ")");
    }

    private static boolean denied(DecisionRecord d) {
        return d.outcome().equals(Outcome.DENY.name());
    }

    private static String shorten(String s) {
        return s.length() <= RESULT_WIDTH ? s : s.substring(0, RESULT_WIDTH - 1) + "…";
    }
}
