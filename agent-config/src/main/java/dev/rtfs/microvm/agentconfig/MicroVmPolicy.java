package dev.rtfs.microvm.agentconfig;

import dev.rtfs.microvm.agentconfig.diag.ConfigCode;
import dev.rtfs.microvm.agentconfig.diag.Diagnostic;
import dev.rtfs.microvm.agentconfig.model.AgentConfig;
import dev.rtfs.microvm.agentconfig.model.Dlp;
import dev.rtfs.microvm.agentconfig.model.DlpPolicy;
import dev.rtfs.microvm.agentconfig.model.Egress;
import dev.rtfs.microvm.agentconfig.model.EgressVia;
import dev.rtfs.microvm.agentconfig.model.FsIsolation;
import dev.rtfs.microvm.agentconfig.model.HttpCapability;
import dev.rtfs.microvm.agentconfig.model.HttpEgress;
import dev.rtfs.microvm.agentconfig.model.Isolation;
import dev.rtfs.microvm.agentconfig.model.IsolationMode;
import dev.rtfs.microvm.agentconfig.model.Located;
import dev.rtfs.microvm.agentconfig.model.Mount;
import dev.rtfs.microvm.agentconfig.model.MountMode;
import dev.rtfs.microvm.agentconfig.model.Nic;
import dev.rtfs.microvm.agentconfig.model.Resources;
import dev.rtfs.microvm.agentconfig.model.Section;
import dev.rtfs.microvm.agentconfig.model.Vsock;
import dev.rtfs.microvm.rtfslang.Span;
import java.util.List;
import java.util.Optional;

/**
 * The MicroVM deployment-profile rules, on the typed model. Fields that failed the schema are
 * absent here, and "missing" rules fire only where the schema does not already require the field, so one
 * mistake gives one diagnostic. "Missing" problems point at the key of the nearest enclosing section written.
 */
final class MicroVmPolicy {

    private static final long MAX_VCPUS = 32;     // Firecracker's maximum
    private static final long MIN_MEM_MB = 64;
    private static final long HIGH_MEM_MB = 1024;
    private static final long MAX_MEM_MB = Integer.MAX_VALUE; // every hypervisor takes an int of MiB
    private static final long MIN_CID = 3;        // 0 hypervisor, 1 loopback, 2 host
    private static final long MAX_CID = 4294967294L;

    private final AgentConfig c;
    private final ConfigPaths paths;
    private final List<Diagnostic> out;

    private MicroVmPolicy(AgentConfig c, ConfigPaths paths, List<Diagnostic> out) {
        this.c = c;
        this.paths = paths;
        this.out = out;
    }

    static void check(AgentConfig config, ConfigPaths paths, List<Diagnostic> out) {
        new MicroVmPolicy(config, paths, out).run();
    }

    private void run() {
        Optional<Located<IsolationMode>> mode = c.isolation().flatMap(Isolation::mode);
        boolean modeMicrovm = mode.map(m -> m.value() == IsolationMode.MICROVM).orElse(false);
        if (modeMicrovm && c.microvm().isEmpty() && unwritten("microvm")) {
            error(ConfigCode.MICROVM_BLOCK_MISSING, "microvm",
                    "isolation mode is :microvm but there is no :microvm block",
                    "add :microvm {:kernel {...} :rootfs {...} :resources {...}}", mode.get().span());
        }
        c.microvm().ifPresent(vm -> {
            if (!modeMicrovm && (mode.isPresent() || unwritten("orchestrator.isolation.mode"))) {
                Span at = mode.map(Located::span).orElseGet(() -> nearest(vm, c.orchestrator(), c.isolation()));
                error(ConfigCode.MICROVM_ISOLATION_MODE, path("orchestrator.isolation.mode"),
                        mode.map(m -> "a :microvm block needs isolation mode :microvm, not :" + m.value().keyword())
                                .orElse("a :microvm block needs :orchestrator.isolation.mode :microvm, which is missing"),
                        "set :orchestrator {:isolation {:mode :microvm}}", at);
            }
        });
        if (modeMicrovm || c.microvm().isPresent()) profileRules();
        egressFormats();
        TlsEgressPolicy.check(c, paths, out);
        attestation();
        dlpPolicy();
    }

    /** Rules that apply when the config asks for a MicroVM. */
    private void profileRules() {
        Section fallback = c.microvm().map(Section.class::cast).orElse(c);
        Optional<FsIsolation> fs = c.fsIsolation();
        Optional<Located<Boolean>> ephemeral = fs.flatMap(FsIsolation::ephemeral);
        if (!ephemeral.map(Located::value).orElse(unwritten("orchestrator.isolation.fs.ephemeral") ? false : true)) {
            error(ConfigCode.MICROVM_FS_EPHEMERAL, path("orchestrator.isolation.fs.ephemeral"),
                    ephemeral.isPresent() ? "the guest filesystem must be ephemeral, but :ephemeral is false"
                            : "the guest filesystem must be ephemeral, but :ephemeral is not set",
                    "set :orchestrator {:isolation {:fs {:ephemeral true}}}",
                    ephemeral.map(Located::span).orElseGet(() -> nearest(fallback, c.orchestrator(), c.isolation(), fs)));
        }
        Optional<Mount> caps = fs.flatMap(f -> f.mount(FsIsolation.CAPABILITIES_MOUNT));
        if (caps.isEmpty() && unwritten("orchestrator.isolation.fs.mounts.capabilities")) {
            warning(ConfigCode.MICROVM_CAPS_MOUNT_MISSING, path("orchestrator.isolation.fs.mounts.capabilities"),
                    "no :capabilities mount: the capability store will not be mounted read-only",
                    "add :mounts {:capabilities {:mode :ro}} under :orchestrator.isolation.fs",
                    fs.flatMap(FsIsolation::mounts).map(Located::keySpan)
                            .orElseGet(() -> nearest(fallback, c.orchestrator(), c.isolation(), fs)));
        }
        caps.ifPresent(m -> {
            Optional<Located<MountMode>> mm = m.mode();
            if (mm.map(x -> x.value() != MountMode.RO).orElse(unwritten("orchestrator.isolation.fs.mounts.capabilities.mode"))) {
                error(ConfigCode.MICROVM_CAPS_MOUNT_RO, path("orchestrator.isolation.fs.mounts.capabilities.mode"),
                        mm.map(x -> "the capabilities mount must be read-only, not :" + x.value().keyword())
                                .orElse("the capabilities mount must be read-only, but :mode is not set"),
                        "set :mode :ro", mm.map(Located::span).orElse(m.keySpan()));
            }
        });
        // An empty path would resolve to the config's directory; it names no image.
        c.kernel().flatMap(k -> k.image()).filter(i -> i.value().isBlank()).ifPresent(i ->
                error(ConfigCode.CONFIG_TYPE, path("microvm.kernel.image"), "the kernel image path is empty",
                        "name the guest kernel file", i.span()));
        c.rootfs().flatMap(r -> r.image()).filter(i -> i.value().isBlank()).ifPresent(i ->
                error(ConfigCode.CONFIG_TYPE, path("microvm.rootfs.image"), "the rootfs image path is empty",
                        "name the root filesystem image", i.span()));
        c.rootfs().flatMap(r -> r.ro()).filter(ro -> !ro.value()).ifPresent(ro ->
                error(ConfigCode.MICROVM_ROOTFS_RW, path("microvm.rootfs.ro"), "the root filesystem must be read-only",
                        "set :ro true", ro.span()));
        c.resources().flatMap(r -> r.vcpus()).ifPresent(v -> {
            if (v.value() < 1 || v.value() > MAX_VCPUS) {
                error(ConfigCode.MICROVM_VCPUS, path("microvm.resources.vcpus"),
                        "vcpus must be between 1 and " + MAX_VCPUS + ", found " + v.value(),
                        v.value() < 1 ? "use at least 1 vCPU" : "use at most " + MAX_VCPUS + " vCPUs (Firecracker's limit)",
                        v.span());
            }
        });
        c.resources().flatMap(r -> r.memMb()).ifPresent(m -> {
            if (m.value() < MIN_MEM_MB) {
                error(ConfigCode.MICROVM_MEM, path(Resources.MEM_MB_PATH),
                        "mem_mb must be at least " + MIN_MEM_MB + ", found " + m.value(),
                        "use at least " + MIN_MEM_MB + " (the profile suggests 128-512)", m.span());
            } else if (m.value() > MAX_MEM_MB) {
                error(ConfigCode.MICROVM_MEM, path(Resources.MEM_MB_PATH),
                        "mem_mb must be at most " + MAX_MEM_MB + ", found " + m.value(),
                        "use at most " + MAX_MEM_MB + " (the profile suggests 128-512)", m.span());
            } else if (m.value() > HIGH_MEM_MB) {
                warning(ConfigCode.MICROVM_MEM_HIGH, path(Resources.MEM_MB_PATH),
                        "mem_mb " + m.value() + " is above " + HIGH_MEM_MB + " (the profile suggests 128-512)",
                        "lower :mem_mb unless the agent really needs it", m.span());
            }
        });
        c.vsock().filter(v -> v.enabled().map(Located::value).orElse(false)).ifPresent(this::vsock);
        c.nic().filter(n -> n.enabled().map(Located::value).orElse(false)).ifPresent(this::nic);
        if (!c.dlpEnabled().orElse(!unwritten("orchestrator.dlp.enabled"))) {
            Optional<Dlp> dlp = c.dlp();
            warning(ConfigCode.DLP_DISABLED, path("orchestrator.dlp.enabled"),
                    "DLP is off for a MicroVM agent: egress is not scanned for secrets",
                    "set :orchestrator {:dlp {:enabled true :policy :strict}}",
                    dlp.flatMap(Dlp::enabled).map(Located::span).orElseGet(() -> nearest(fallback, c.orchestrator(), dlp)));
        }
    }

    private void vsock(Vsock v) {
        Optional<Located<Long>> cid = v.cid();
        if (cid.isEmpty()) {
            if (!unwritten("microvm.devices.vsock.cid")) return;
            error(ConfigCode.MICROVM_VSOCK_CID, path("microvm.devices.vsock.cid"), "vsock is enabled but :cid is missing",
                    "set :cid 3 (or any unique value >= 3)", v.keySpan());
        } else if (cid.get().value() < MIN_CID || cid.get().value() > MAX_CID) {
            long n = cid.get().value();
            error(ConfigCode.MICROVM_VSOCK_CID, path("microvm.devices.vsock.cid"),
                    "vsock cid " + n + (n < 0 ? " is negative" : n < MIN_CID ? " is reserved (0 hypervisor, 1 loopback, 2 host)"
                            : " is above " + MAX_CID),
                    "use a unique cid between 3 and " + MAX_CID, cid.get().span());
        }
    }

    private void nic(Nic nic) {
        Span nicAt = nic.enabled().map(Located::span).orElse(nic.keySpan());
        Optional<Located<Boolean>> netEnabled = c.network().flatMap(n -> n.enabled());
        if (c.network().isEmpty()) {
            if (!unwritten("network")) return;
            error(ConfigCode.MICROVM_NIC_EGRESS, path("network"),
                    "the NIC is enabled but there is no :network block routing egress through the proxy",
                    "add :network {:enabled true :egress {:via :proxy :allow-domains [\"example.com\"]}} or disable the NIC",
                    nicAt);
        } else {
            if (!netEnabled.map(Located::value).orElse(!unwritten("network.enabled"))) {
                error(ConfigCode.MICROVM_NIC_EGRESS, path("network.enabled"),
                        "the NIC is enabled but the network is " + (netEnabled.isPresent() ? "disabled" : "not enabled"),
                        "set :network {:enabled true} or disable the NIC",
                        netEnabled.map(Located::span).orElse(c.network().get().keySpan()));
            }
            Optional<Egress> egress = c.egress();
            Optional<Located<EgressVia>> via = egress.flatMap(Egress::via);
            if (via.map(v -> v.value() != EgressVia.PROXY).orElse(unwritten("network.egress.via"))) {
                error(ConfigCode.MICROVM_NIC_EGRESS, path("network.egress.via"),
                        via.map(v -> "the NIC is enabled but egress goes via :" + v.value().keyword() + ", not the proxy")
                                .orElse("the NIC is enabled but :network.egress.via is not :proxy"),
                        "set :via :proxy", via.map(Located::span).orElseGet(() -> nearest(c.network().get(), egress)));
            }
        }
        Optional<Egress> egress = c.egress();
        Optional<Located<List<Located<String>>>> domains = egress.flatMap(Egress::allowDomains);
        if (domains.map(d -> d.value().isEmpty()).orElse(true) && unwritten("network.egress.allow-domains")) {
            // Point at the key: for a macro-produced config that is the literal in the macro (with via = call site).
            Span at = domains.map(Located::keySpan).orElseGet(() -> egress.map(Egress::keySpan)
                    .orElseGet(() -> c.network().map(Section::keySpan).orElse(nicAt)));
            error(ConfigCode.MICROVM_EGRESS_ALLOWLIST, path("network.egress.allow-domains"),
                    domains.isPresent() ? "the NIC is enabled but :allow-domains is empty"
                            : "the NIC is enabled but :allow-domains is missing",
                    "list the domains the agent may reach, e.g. :allow-domains [\"example.com\"], or disable the NIC", at);
        }
    }

    private void egressFormats() {
        c.egress().flatMap(Egress::allowDomains).ifPresent(d -> domains(d, "network.egress.allow-domains"));
        c.httpCapability().flatMap(HttpCapability::egress).flatMap(HttpEgress::allowDomains)
                .ifPresent(d -> domains(d, "capabilities.http.egress.allow-domains"));
        c.egress().flatMap(Egress::tlsPins).ifPresent(pins -> {
            for (Located<String> pin : pins.value()) {
                switch (EgressRules.pin(pin.value())) {
                    case VALID -> { }
                    case PLACEHOLDER -> warning(ConfigCode.EGRESS_TLS_PIN_PLACEHOLDER, path("network.egress.tls_pins"),
                            "TLS pin \"" + SchemaWalker.abbreviate(pin.value()) + "\" is a placeholder",
                            "replace it with sha256/<base64 of the server's SPKI sha256> before deploying", pin.span());
                    case INVALID -> error(ConfigCode.EGRESS_TLS_PIN_FORMAT, path("network.egress.tls_pins"),
                            "TLS pin \"" + SchemaWalker.abbreviate(pin.value()) + "\" is not sha256/ + base64 of 32 bytes",
                            "compute it with: openssl x509 -pubkey -noout | openssl pkey -pubin -outform der"
                                    + " | openssl dgst -sha256 -binary | base64", pin.span());
                }
            }
        });
    }

    private void domains(Located<List<Located<String>>> domains, String canonicalPath) {
        for (Located<String> d : domains.value()) {
            EgressRules.domainProblem(d.value()).ifPresent(problem -> error(ConfigCode.EGRESS_DOMAIN_INVALID,
                    path(canonicalPath), "allowlist entry \"" + SchemaWalker.abbreviate(d.value()) + "\": " + problem,
                    EgressRules.domainFix(d.value()).map(f -> "write \"" + f + "\"")
                            .orElse("use a lowercase hostname such as \"api.example.com\" or \"*.example.com\""),
                    d.span()));
        }
    }

    private void attestation() {
        c.attestation().ifPresent(a -> {
            Optional<Located<String>> hash = a.expectRootfsHash();
            boolean enabled = a.enabled().map(Located::value).orElse(false);
            if (hash.isPresent() && !EgressRules.isHashPlaceholder(hash.get().value())
                    && !EgressRules.isRootfsHash(hash.get().value())) {
                error(ConfigCode.MICROVM_ATTESTATION_HASH_FORMAT, path("microvm.attestation.expect_rootfs_hash"),
                        "expect_rootfs_hash \"" + SchemaWalker.abbreviate(hash.get().value()) + "\" is not sha256: + 64 lowercase hex digits",
                        "write sha256:<hex> (sha256sum of the rootfs image), or a placeholder resolved at deploy",
                        hash.get().span());
            } else if (enabled && hash.map(h -> EgressRules.isHashPlaceholder(h.value()))
                    .orElse(unwritten("microvm.attestation.expect_rootfs_hash"))) {
                warning(ConfigCode.MICROVM_ATTESTATION_HASH_DEFERRED, path("microvm.attestation.expect_rootfs_hash"),
                        hash.isPresent() ? "expect_rootfs_hash is a placeholder; attestation is deferred to deploy"
                                : "attestation is enabled without :expect_rootfs_hash; it is deferred to deploy",
                        "at deploy the hash must come from the config, --expect-rootfs-hash or image.lock"
                                + " and match the measured rootfs, else the deploy is refused",
                        hash.map(Located::span).orElse(a.keySpan()));
            }
        });
    }

    private void dlpPolicy() {
        c.dlp().filter(d -> d.enabled().map(Located::value).orElse(false)).ifPresent(d -> {
            Optional<Located<DlpPolicy>> policy = d.policy();
            if (policy.map(p -> p.value() != DlpPolicy.STRICT).orElse(unwritten("orchestrator.dlp.policy"))) {
                warning(ConfigCode.DLP_NOT_STRICT, path("orchestrator.dlp.policy"),
                        policy.map(p -> "DLP policy is :" + p.value().keyword() + ", not :strict")
                                .orElse("DLP is on without a :policy, so it is not :strict"),
                        "set :policy :strict (blocks instead of redacting)",
                        policy.map(Located::span).orElse(d.keySpan()));
            }
        });
    }

    /** The key of the deepest section written in the chain (each element nested in the previous), else the fallback. */
    @SafeVarargs
    private static Span nearest(Section fallback, Optional<? extends Section>... chain) {
        Span at = fallback.keySpan();
        for (Optional<? extends Section> s : chain) {
            if (s.isEmpty()) break;
            at = s.get().keySpan();
        }
        return at;
    }

    private String path(String canonical) {
        return paths.written(canonical);
    }

    /** Absent because it was never written (not because the schema rejected what was written). */
    private boolean unwritten(String canonical) {
        return !paths.rejected(canonical);
    }

    private void error(ConfigCode code, String path, String message, String suggestion, Span at) {
        out.add(Diagnostic.error(code, path, message, suggestion, at));
    }

    private void warning(ConfigCode code, String path, String message, String suggestion, Span at) {
        out.add(Diagnostic.warning(code, path, message, suggestion, at));
    }
}
