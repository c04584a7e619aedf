package dev.rtfs.microvm.supervisor;

import dev.rtfs.microvm.control.chain.VerifyReport;
import dev.rtfs.microvm.lang.TextTable;
import java.util.ArrayList;
import java.util.List;

/** The step table {@code run} prints: one row per step, then the boots and the chain's verification. */
public final class RunTable {

    private static final List<String> HEADER = List.of("#", "STEP", "STATUS", "CALLS", "TIME_MS", "RESULT");
    private static final int RESULT_WIDTH = 60;

    private RunTable() {}

    public static String render(RunReport r) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(HEADER);
        for (StepOutcome s : r.steps()) {
            String result = s.failure().orElseGet(() -> s.calls().isEmpty() ? "-"
                    : s.calls().getLast().result().value().map(Object::toString).orElse("-"));
            rows.add(List.of(Integer.toString(s.index()), s.name(), s.status().name().toLowerCase().replace('_', ' '),
                    Integer.toString(s.calls().size()), Long.toString(s.elapsed().toMillis()), shorten(result)));
        }
        StringBuilder out = new StringBuilder(TextTable.render(rows));
        out.append("agent ").append(r.agentId()).append(": ").append(r.attempts())
                .append(r.attempts() == 1 ? " boot" : " boots").append(", accelerator ").append(r.accelerator()).append('\n');
        r.problem().ifPresent(p -> out.append("problem: ").append(p).append('\n'));
        r.chain().ifPresent(c -> out.append(switch (c) {
            case VerifyReport.Valid v -> "causal chain: " + v.records() + " records, intact (head " + v.headSeq() + " "
                    + v.headHash().substring(0, 16) + "…)";
            case VerifyReport.Invalid i -> "causal chain: BROKEN at seq " + i.seq() + ": " + i.reason();
        }).append(" — ").append(r.runDir().resolve("chain")).append('\n'));
        return out.toString();
    }

    private static String shorten(String s) {
        return s.length() <= RESULT_WIDTH ? s : s.substring(0, RESULT_WIDTH - 1) + "…";
    }
}
