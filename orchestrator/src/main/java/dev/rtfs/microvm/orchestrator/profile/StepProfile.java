package dev.rtfs.microvm.orchestrator.profile;

import dev.rtfs.microvm.egresspolicy.acl.AgentAcl;
import dev.rtfs.microvm.egresspolicy.acl.DlpMode;
import dev.rtfs.microvm.egresspolicy.acl.TlsRules;
import dev.rtfs.microvm.orchestrator.admission.CredentialReference;
import dev.rtfs.microvm.orchestrator.admission.EgressTls;
import dev.rtfs.microvm.orchestrator.plan.Determinism;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The least-privilege profile of one plan step. Its JSON ({@link StepProfileJson}) is the
 * contract:
 * <pre>{"step","index","network_acl":{"allow_domains","allow_methods"[,"tls":"intercept","tls_passthrough"]},
 *  "fs_policy":{"workdir","capabilities_mount","allowed_paths"},
 *  "determinism":{"time","random","seed"},"feature_gates":{"llm","gpu"},"limits":{"max_time_ms"}}</pre>
 */
public record StepProfile(
        String step, int index, NetworkAcl networkAcl, FsPolicy fsPolicy, DeterminismProfile determinism,
        FeatureGates featureGates, Limits limits) {

    public StepProfile {
        Objects.requireNonNull(step);
        Objects.requireNonNull(networkAcl);
        Objects.requireNonNull(fsPolicy);
        Objects.requireNonNull(determinism);
        Objects.requireNonNull(featureGates);
        Objects.requireNonNull(limits);
    }

    /**
     * What the proxy enforces while the step runs. {@code connectPorts} (443 plus the effect's ports) and
     * {@code dlp} (from the agent config) are carried for {@link #toAgentAcl} and are not part of the step
     * profile JSON; {@code tls} (the agent's, {@link EgressTls}) gives the JSON its {@code tls} and
     * {@code tls_passthrough}. Empty domains mean deny-all.
     */
    public record NetworkAcl(List<String> allowDomains, List<String> allowMethods, List<Integer> connectPorts, DlpMode dlp,
            EgressTls tls) {
        public NetworkAcl {
            allowDomains = List.copyOf(allowDomains);
            allowMethods = List.copyOf(allowMethods);
            connectPorts = List.copyOf(connectPorts);
            Objects.requireNonNull(dlp);
            Objects.requireNonNull(tls);
        }

        /** An ACL that tunnels HTTPS. */
        public NetworkAcl(List<String> allowDomains, List<String> allowMethods, List<Integer> connectPorts, DlpMode dlp) {
            this(allowDomains, allowMethods, connectPorts, dlp, EgressTls.TUNNEL);
        }

        public static NetworkAcl denyAll(DlpMode dlp) {
            return new NetworkAcl(List.of(), List.of(), List.of(), dlp);
        }

        /** The TLS rules the proxy applies to this step's domains (mode, passthrough, pins, mTLS material). */
        public TlsRules tlsRules() {
            return tls.rules(allowDomains);
        }

        /**
         * The headers the proxy injects for this step's domains, as references: the agent's ACL carries them
         * ({@code AgentEgressAcl}) and a step ACL inherits them, so {@link StepProfile#toAgentAcl} sets none.
         */
        public List<CredentialReference> credentials() {
            return tls.credentialsFor(allowDomains);
        }

        public boolean deniesAll() {
            return allowDomains.isEmpty();
        }
    }

    /** The guest filesystem view: the step's tmpfs workdir, the capability store mode, and the extra paths. */
    public record FsPolicy(String workdir, String capabilitiesMount, List<String> allowedPaths) {
        public FsPolicy {
            Objects.requireNonNull(workdir);
            Objects.requireNonNull(capabilitiesMount);
            allowedPaths = List.copyOf(allowedPaths);
        }
    }

    /**
     * "deterministic" or "real" for time and random; the seed only when random is deterministic; the virtual
     * clock's start only when time is deterministic.
     */
    public record DeterminismProfile(String time, String random, Optional<String> seed, OptionalLong startMs) {
        /** Virtual milliseconds per step: calls 0..999 of a step read strictly increasing, distinct times. */
        public static final long STEP_ADVANCE_MS = 1000;

        public DeterminismProfile {
            Objects.requireNonNull(time);
            Objects.requireNonNull(random);
            Objects.requireNonNull(seed);
            Objects.requireNonNull(startMs);
        }

        public DeterminismProfile(String time, String random, Optional<String> seed) {
            this(time, random, seed, time.equals("deterministic")
                    ? OptionalLong.of(Determinism.DEFAULT_START_MS)
                    : OptionalLong.empty());
        }

        /**
         * The virtual clock at call {@code call} of step {@code step}: start + step × {@link #STEP_ADVANCE_MS} +
         * call. A function of the plan alone, so a rerun and a restart read the same times; empty for real time.
         */
        public OptionalLong virtualNowMs(int step, int call) {
            return startMs.isPresent()
                    ? OptionalLong.of(startMs.getAsLong() + step * STEP_ADVANCE_MS + call)
                    : OptionalLong.empty();
        }
    }

    public record FeatureGates(boolean llm, boolean gpu) {}

    public record Limits(OptionalLong maxTimeMs) {
        public Limits {
            Objects.requireNonNull(maxTimeMs);
        }
    }

    /**
     * The per-agent ACL document the egress proxy consumes while this step runs: the step's domains and
     * methods, CONNECT ports, the agent's DLP mode and TLS rules (credentials excepted: {@link
     * NetworkAcl#credentials}); deny-all (the proxy's strict defaults with no domains)
     * when the step has no network effect.
     */
    public AgentAcl toAgentAcl(String agentId) {
        AgentAcl.Builder rules = AgentAcl.builder(agentId).step(step).dlp(networkAcl.dlp());
        if (networkAcl.deniesAll()) {
            return rules.build();
        }
        return rules.allowDomains(networkAcl.allowDomains()).allowMethods(networkAcl.allowMethods())
                .connectPorts(networkAcl.connectPorts()).tls(networkAcl.tlsRules()).build();
    }
}
