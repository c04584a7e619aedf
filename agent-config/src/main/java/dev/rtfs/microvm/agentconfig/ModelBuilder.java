package dev.rtfs.microvm.agentconfig;

import dev.rtfs.microvm.agentconfig.model.AgentConfig;
import dev.rtfs.microvm.agentconfig.model.Attestation;
import dev.rtfs.microvm.agentconfig.model.Budgets;
import dev.rtfs.microvm.agentconfig.model.Capabilities;
import dev.rtfs.microvm.agentconfig.model.CausalChain;
import dev.rtfs.microvm.agentconfig.model.ChainStorage;
import dev.rtfs.microvm.agentconfig.model.Devices;
import dev.rtfs.microvm.agentconfig.model.Dlp;
import dev.rtfs.microvm.agentconfig.model.DlpPolicy;
import dev.rtfs.microvm.agentconfig.model.Egress;
import dev.rtfs.microvm.agentconfig.model.EgressTlsMode;
import dev.rtfs.microvm.agentconfig.model.EgressVia;
import dev.rtfs.microvm.agentconfig.model.ClientCertFiles;
import dev.rtfs.microvm.agentconfig.model.CredentialRef;
import dev.rtfs.microvm.agentconfig.model.FsIsolation;
import dev.rtfs.microvm.agentconfig.model.Governance;
import dev.rtfs.microvm.agentconfig.model.GovernanceKeys;
import dev.rtfs.microvm.agentconfig.model.GovernancePolicy;
import dev.rtfs.microvm.agentconfig.model.HttpCapability;
import dev.rtfs.microvm.agentconfig.model.HttpEgress;
import dev.rtfs.microvm.agentconfig.model.Isolation;
import dev.rtfs.microvm.agentconfig.model.IsolationMode;
import dev.rtfs.microvm.agentconfig.model.Kernel;
import dev.rtfs.microvm.agentconfig.model.Located;
import dev.rtfs.microvm.agentconfig.model.Marketplace;
import dev.rtfs.microvm.agentconfig.model.MicroVm;
import dev.rtfs.microvm.agentconfig.model.Mount;
import dev.rtfs.microvm.agentconfig.model.MountMode;
import dev.rtfs.microvm.agentconfig.model.Network;
import dev.rtfs.microvm.agentconfig.model.Nic;
import dev.rtfs.microvm.agentconfig.model.Orchestrator;
import dev.rtfs.microvm.agentconfig.model.Resources;
import dev.rtfs.microvm.agentconfig.model.RiskTier;
import dev.rtfs.microvm.agentconfig.model.Rootfs;
import dev.rtfs.microvm.agentconfig.model.StorageMode;
import dev.rtfs.microvm.agentconfig.model.Toggle;
import dev.rtfs.microvm.agentconfig.model.Vsock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Schema-checked maps → the typed model. Everything here was type-checked already, so it cannot fail. */
final class ModelBuilder {
    private ModelBuilder() {}

    static AgentConfig build(CheckedMap m) {
        return new AgentConfig(
                m.string("version"), m.string("agent-id"), m.string("profile"), m.strings("features"),
                m.struct("orchestrator").map(ModelBuilder::orchestrator),
                m.struct("network").map(ModelBuilder::network),
                m.struct("microvm").map(ModelBuilder::microvm),
                m.struct("capabilities").map(ModelBuilder::capabilities),
                m.struct("governance").map(ModelBuilder::governance),
                m.struct("causal_chain").map(ModelBuilder::causalChain),
                m.struct("marketplace").map(ModelBuilder::marketplace),
                m.keySpan(), m.span());
    }

    private static Orchestrator orchestrator(CheckedMap m) {
        return new Orchestrator(m.struct("isolation").map(ModelBuilder::isolation), m.struct("dlp").map(ModelBuilder::dlp),
                m.keySpan(), m.span());
    }

    private static Isolation isolation(CheckedMap m) {
        return new Isolation(m.enumValue("mode", IsolationMode.class), m.struct("fs").map(ModelBuilder::fs),
                m.keySpan(), m.span());
    }

    private static FsIsolation fs(CheckedMap m) {
        return new FsIsolation(m.bool("ephemeral"), m.named("mounts").map(l -> {
            Map<String, Mount> mounts = new LinkedHashMap<>();
            l.value().forEach((name, mount) ->
                    mounts.put(name, new Mount(name, mount.enumValue("mode", MountMode.class), mount.keySpan(), mount.span())));
            return new Located<>(mounts, l.span(), l.keySpan());
        }), m.keySpan(), m.span());
    }

    private static Dlp dlp(CheckedMap m) {
        return new Dlp(m.bool("enabled"), m.enumValue("policy", DlpPolicy.class), m.keySpan(), m.span());
    }

    private static Network network(CheckedMap m) {
        return new Network(m.bool("enabled"), m.struct("egress").map(e -> new Egress(
                e.enumValue("via", EgressVia.class), e.strings("allow-domains"), e.bool("mtls"), e.strings("tls_pins"),
                e.enumValue("tls", EgressTlsMode.class), e.strings("tls_passthrough"), e.strings("tls_passthrough_waiver"),
                e.string("upstream_ca"), e.keyed("client_cert").map(ModelBuilder::clientCerts),
                e.keyed("credentials").map(ModelBuilder::credentials),
                e.keySpan(), e.span())), m.keySpan(), m.span());
    }

    private static Located<List<ClientCertFiles>> clientCerts(Located<List<CheckedMap.Keyed>> l) {
        List<ClientCertFiles> out = new ArrayList<>();
        for (CheckedMap.Keyed k : l.value()) {
            for (CheckedMap c : k.maps()) {
                out.add(new ClientCertFiles(new Located<>(k.name(), k.keySpan()), c.string("cert"), c.string("key"), c.span()));
            }
        }
        return new Located<>(out, l.span(), l.keySpan());
    }

    private static Located<List<CredentialRef>> credentials(Located<List<CheckedMap.Keyed>> l) {
        List<CredentialRef> out = new ArrayList<>();
        for (CheckedMap.Keyed k : l.value()) {
            for (CheckedMap c : k.maps()) {
                // Only where an inline :value was written: the secret itself is not copied into the model.
                out.add(new CredentialRef(new Located<>(k.name(), k.keySpan()), c.string("header"), c.string("env"),
                        c.string("file"), c.string("prefix"), c.string("value").map(Located::keySpan), c.span()));
            }
        }
        return new Located<>(out, l.span(), l.keySpan());
    }

    private static MicroVm microvm(CheckedMap m) {
        return new MicroVm(
                m.struct("kernel").map(k -> new Kernel(k.string("image"), k.string("cmdline"), k.keySpan(), k.span())),
                m.struct("rootfs").map(r -> new Rootfs(r.string("image"), r.bool("ro"), r.keySpan(), r.span())),
                m.struct("resources").map(r -> new Resources(r.integer("vcpus"), r.integer(Resources.MEM_MB_KEY), r.keySpan(), r.span())),
                m.struct("devices").map(d -> new Devices(
                        d.struct("nic").map(n -> new Nic(n.bool("enabled"), n.string("proxy_ns"), n.keySpan(), n.span())),
                        d.struct("vsock").map(v -> new Vsock(v.bool("enabled"), v.integer("cid"), v.keySpan(), v.span())),
                        d.keySpan(), d.span())),
                m.struct("attestation").map(a -> new Attestation(a.bool("enabled"), a.string("expect_rootfs_hash"),
                        a.keySpan(), a.span())),
                m.keySpan(), m.span());
    }

    private static Toggle toggle(CheckedMap m) {
        return new Toggle(m.bool("enabled"), m.keySpan(), m.span());
    }

    private static Capabilities capabilities(CheckedMap m) {
        return new Capabilities(
                m.struct("http").map(h -> new HttpCapability(h.bool("enabled"),
                        h.struct("egress").map(e -> new HttpEgress(e.strings("allow-domains"), e.bool("mtls"), e.keySpan(), e.span())),
                        h.keySpan(), h.span())),
                m.struct("fs").map(ModelBuilder::toggle), m.struct("llm").map(ModelBuilder::toggle),
                m.struct("gpu").map(ModelBuilder::toggle), m.keySpan(), m.span());
    }

    private static Governance governance(CheckedMap m) {
        return new Governance(m.named("policies").map(l -> {
            Map<String, GovernancePolicy> policies = new LinkedHashMap<>();
            l.value().forEach((name, p) -> policies.put(name, new GovernancePolicy(name,
                    p.enumValue("risk_tier", RiskTier.class), p.integer("requires_approvals"),
                    p.struct("budgets").map(b -> new Budgets(b.number("max_cost_usd"), b.number("token_budget"), b.keySpan(), b.span())),
                    p.keySpan(), p.span())));
            return new Located<>(policies, l.span(), l.keySpan());
        }), m.struct("keys").map(k -> new GovernanceKeys(k.string("verify"), k.keySpan(), k.span())), m.keySpan(), m.span());
    }

    private static CausalChain causalChain(CheckedMap m) {
        return new CausalChain(
                m.struct("storage").map(s -> new ChainStorage(s.enumValue("mode", StorageMode.class), s.string("path"),
                        s.bool("buffer_local"), s.keySpan(), s.span())),
                m.struct("anchor").map(ModelBuilder::toggle), m.keySpan(), m.span());
    }

    private static Marketplace marketplace(CheckedMap m) {
        return new Marketplace(m.strings("registry_paths"), m.bool("readonly"), m.keySpan(), m.span());
    }
}
