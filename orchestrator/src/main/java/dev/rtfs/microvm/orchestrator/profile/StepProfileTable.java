package dev.rtfs.microvm.orchestrator.profile;

import dev.rtfs.microvm.egresspolicy.acl.TlsMode;
import dev.rtfs.microvm.egresspolicy.acl.TlsRules;
import dev.rtfs.microvm.rtfslang.TextTable;
import java.util.ArrayList;
import java.util.List;

/** The readable table of step profiles printed by {@code rtfs-microvm profile} in text mode. */
public final class StepProfileTable {

    private static final List<String> HEADER =
            List.of("#", "STEP", "NETWORK", "METHODS", "TLS", "FS (allowed paths)", "WORKDIR", "TIME", "RANDOM", "LLM", "GPU", "MAX_TIME_MS");

    private StepProfileTable() {}

    public static String render(List<StepProfile> profiles) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(HEADER);
        for (StepProfile p : profiles) {
            rows.add(List.of(
                    Integer.toString(p.index()),
                    p.step(),
                    p.networkAcl().deniesAll() ? "deny-all" : String.join(",", p.networkAcl().allowDomains()),
                    p.networkAcl().deniesAll() ? "-" : String.join(",", p.networkAcl().allowMethods()),
                    tls(p.networkAcl()),
                    p.fsPolicy().allowedPaths().isEmpty() ? "-" : String.join(",", p.fsPolicy().allowedPaths()),
                    p.fsPolicy().workdir(),
                    p.determinism().time(),
                    p.determinism().random() + p.determinism().seed().map(s -> " (seed " + s + ")").orElse(""),
                    p.featureGates().llm() ? "on" : "off",
                    p.featureGates().gpu() ? "on" : "off",
                    p.limits().maxTimeMs().isPresent() ? Long.toString(p.limits().maxTimeMs().getAsLong()) : "-"));
        }
        // Plan text (step names, paths, seeds) goes to a terminal: TextTable escapes control and format characters.
        return TextTable.render(rows);
    }

    /** "tunnel", "intercept" or "intercept, passthrough a,b" for a step with network; "-" without. */
    private static String tls(StepProfile.NetworkAcl acl) {
        if (acl.deniesAll()) return "-";
        TlsRules rules = acl.tlsRules();
        return rules.mode().jsonName() + (rules.mode() == TlsMode.INTERCEPT && !rules.passthrough().isEmpty()
                ? ", passthrough " + String.join(",", rules.passthrough()) : "");
    }
}
