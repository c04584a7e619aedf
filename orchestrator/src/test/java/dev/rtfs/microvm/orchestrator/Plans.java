package dev.rtfs.microvm.orchestrator;

import dev.rtfs.microvm.agentconfig.diag.Diagnostic;
import dev.rtfs.microvm.egresspolicy.acl.DlpMode;
import dev.rtfs.microvm.rtfslang.SourceFile;
import dev.rtfs.microvm.orchestrator.admission.Admission;
import dev.rtfs.microvm.orchestrator.admission.AdmissionResult;
import dev.rtfs.microvm.orchestrator.admission.AgentPolicy;
import dev.rtfs.microvm.orchestrator.plan.PlanReader;
import dev.rtfs.microvm.orchestrator.plan.PlanReading;
import java.util.List;

/** Test helpers: read/admit plan text, find positions of tokens in it. */
public final class Plans {

    public static final String FILE = "plan.rtfs";

    /** The example agent: network and NIC on, allow-domains example.com and its subdomains, strict DLP. */
    public static final AgentPolicy AGENT = new AgentPolicy("agent.a", true, true,
            List.of("example.com", "*.example.com"), false, false, DlpMode.STRICT);

    private Plans() {}

    public static PlanReading read(String text) {
        return PlanReader.read(new SourceFile(FILE, text));
    }

    public static AdmissionResult admit(String text) {
        return admit(text, AGENT);
    }

    public static AdmissionResult admit(String text, AgentPolicy policy) {
        return Admission.admit(read(text), policy);
    }

    /** 1-based {line, column} of the n-th (0-based) occurrence of {@code needle}. */
    public static int[] position(String text, String needle, int occurrence) {
        int at = -1;
        for (int i = 0; i <= occurrence; i++) {
            at = text.indexOf(needle, at + 1);
            if (at < 0) throw new AssertionError("no occurrence " + occurrence + " of " + needle);
        }
        int line = 1;
        int col = 1;
        for (int i = 0; i < at; i++) {
            if (text.charAt(i) == '\n') {
                line++;
                col = 1;
            } else {
                col++;
            }
        }
        return new int[] {line, col};
    }

    public static int[] position(String text, String needle) {
        return position(text, needle, 0);
    }

    public static String describe(List<Diagnostic> ds) {
        StringBuilder sb = new StringBuilder();
        for (Diagnostic d : ds) {
            sb.append(d.severity().label()).append(' ').append(d.code().name()).append(' ').append(d.path()).append(' ')
                    .append(d.span().location()).append(": ").append(d.message()).append('\n');
        }
        return sb.toString();
    }
}
