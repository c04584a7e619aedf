package dev.rtfs.microvm.agentconfig;

import static dev.rtfs.microvm.agentconfig.MapSpec.optional;
import static dev.rtfs.microvm.agentconfig.MapSpec.required;

import dev.rtfs.microvm.agentconfig.FieldType.ListOf;
import dev.rtfs.microvm.agentconfig.FieldType.Named;
import dev.rtfs.microvm.agentconfig.FieldType.Scalar;
import dev.rtfs.microvm.agentconfig.FieldType.Struct;
import dev.rtfs.microvm.agentconfig.model.DlpPolicy;
import dev.rtfs.microvm.agentconfig.model.EgressTlsMode;
import dev.rtfs.microvm.agentconfig.model.EgressVia;
import dev.rtfs.microvm.agentconfig.model.IsolationMode;
import dev.rtfs.microvm.agentconfig.model.MountMode;
import dev.rtfs.microvm.agentconfig.model.Resources;
import dev.rtfs.microvm.agentconfig.model.RiskTier;
import dev.rtfs.microvm.agentconfig.model.StorageMode;

/** The agent.config schema as data: the canonical keys, their types and which are required. */
final class AgentConfigSchema {
    private AgentConfigSchema() {}

    private static Struct struct(boolean strict, MapSpec.Field... fields) {
        return new Struct(MapSpec.of(strict, fields));
    }

    private static Struct toggle(boolean strict) {
        return struct(strict, optional("enabled", Scalar.BOOL));
    }

    static final FieldType.Enum ISOLATION_MODE = FieldType.Enum.of(IsolationMode.class);

    static final MapSpec ORCHESTRATOR = MapSpec.of(true,
            optional("isolation", struct(true,
                    optional("mode", ISOLATION_MODE),
                    optional("fs", struct(true,
                            optional("ephemeral", Scalar.BOOL),
                            optional("mounts", new Named(MapSpec.of(true,
                                    optional("mode", FieldType.Enum.of(MountMode.class))))))))),
            optional("dlp", struct(true,
                    optional("enabled", Scalar.BOOL),
                    optional("policy", FieldType.Enum.of(DlpPolicy.class)))));

    static final MapSpec NETWORK = MapSpec.of(true,
            optional("enabled", Scalar.BOOL),
            optional("egress", struct(true,
                    optional("via", FieldType.Enum.of(EgressVia.class)),
                    optional("allow-domains", new ListOf(Scalar.STRING)),
                    optional("mtls", Scalar.BOOL),
                    optional("tls_pins", new ListOf(Scalar.STRING)),
                    optional("tls", FieldType.Enum.of(EgressTlsMode.class)),
                    optional("tls_passthrough", new ListOf(Scalar.STRING)),
                    optional("tls_passthrough_waiver", new ListOf(Scalar.STRING)),
                    optional("upstream_ca", Scalar.STRING),
                    optional("client_cert", new FieldType.ByDomain(struct(true,
                            required("cert", Scalar.STRING),
                            required("key", Scalar.STRING)))),
                    // :value is known only so that an inline secret is refused with its own code (EGRESS_CREDENTIAL_INLINE).
                    optional("credentials", new FieldType.ByDomain(new FieldType.ListOfMaps(MapSpec.of(true,
                            required("header", Scalar.STRING),
                            optional("env", Scalar.STRING),
                            optional("file", Scalar.STRING),
                            optional("prefix", Scalar.STRING),
                            optional("value", Scalar.STRING))))))));

    static final MapSpec MICROVM = MapSpec.of(true,
            required("kernel", struct(true,
                    required("image", Scalar.STRING),
                    optional("cmdline", Scalar.STRING))),
            required("rootfs", struct(true,
                    required("image", Scalar.STRING),
                    required("ro", Scalar.BOOL))),
            required("resources", struct(true,
                    required("vcpus", Scalar.INT),
                    required(Resources.MEM_MB_KEY, Scalar.INT))),
            optional("devices", struct(true,
                    optional("nic", struct(true,
                            optional("enabled", Scalar.BOOL),
                            optional("proxy_ns", Scalar.STRING))),
                    optional("vsock", struct(true,
                            optional("enabled", Scalar.BOOL),
                            optional("cid", Scalar.INT))))),
            optional("attestation", struct(true,
                    optional("enabled", Scalar.BOOL),
                    optional("expect_rootfs_hash", Scalar.STRING))));

    static final MapSpec CAPABILITIES = MapSpec.of(false,
            optional("http", struct(false,
                    optional("enabled", Scalar.BOOL),
                    optional("egress", struct(false,
                            optional("allow-domains", new ListOf(Scalar.STRING)),
                            optional("mtls", Scalar.BOOL))))),
            optional("fs", toggle(false)),
            optional("llm", toggle(false)),
            optional("gpu", toggle(false)));

    static final MapSpec GOVERNANCE = MapSpec.of(false,
            optional("policies", new Named(MapSpec.of(false,
                    optional("risk_tier", FieldType.Enum.of(RiskTier.class)),
                    optional("requires_approvals", Scalar.INT),
                    optional("budgets", struct(false,
                            optional("max_cost_usd", Scalar.NUMBER),
                            optional("token_budget", Scalar.NUMBER)))))),
            optional("keys", struct(false, optional("verify", Scalar.STRING))));

    static final MapSpec CAUSAL_CHAIN = MapSpec.of(false,
            optional("storage", struct(false,
                    optional("mode", FieldType.Enum.of(StorageMode.class)),
                    optional("path", Scalar.STRING),
                    optional("buffer_local", Scalar.BOOL))),
            optional("anchor", toggle(false)));

    static final MapSpec MARKETPLACE = MapSpec.of(false,
            optional("registry_paths", new ListOf(Scalar.STRING)),
            optional("readonly", Scalar.BOOL));

    /** The top level. Unknown top-level keys are warnings; the three isolation-critical sections are strict. */
    static final MapSpec ROOT = MapSpec.of(false,
            required("version", Scalar.STRING),
            required("agent-id", Scalar.STRING),
            optional("profile", Scalar.KEYWORD),
            optional("features", new ListOf(Scalar.KEYWORD_OR_STRING)),
            optional("orchestrator", new Struct(ORCHESTRATOR)),
            optional("network", new Struct(NETWORK)),
            optional("microvm", new Struct(MICROVM)),
            optional("capabilities", new Struct(CAPABILITIES)),
            optional("governance", new Struct(GOVERNANCE)),
            optional("causal_chain", new Struct(CAUSAL_CHAIN)),
            optional("marketplace", new Struct(MARKETPLACE)));
}
