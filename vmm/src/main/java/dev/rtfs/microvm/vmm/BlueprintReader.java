package dev.rtfs.microvm.vmm;

import dev.rtfs.microvm.agentconfig.diag.Diagnostic;
import dev.rtfs.microvm.agentconfig.model.AgentConfig;
import dev.rtfs.microvm.agentconfig.model.Attestation;
import dev.rtfs.microvm.agentconfig.model.FsIsolation;
import dev.rtfs.microvm.agentconfig.model.Located;
import dev.rtfs.microvm.agentconfig.model.Mount;
import dev.rtfs.microvm.agentconfig.model.MountMode;
import dev.rtfs.microvm.agentconfig.model.Section;
import dev.rtfs.microvm.rtfslang.Span;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Typed config to {@link VmBlueprint}. Validation (agent-config) is the authority; this re-checks only what a
 * spec cannot be built without or must never get wrong (a RW root, a bad vCPU count), with the same codes, so a
 * config that skipped validation still yields diagnostics and never a partial or unsafe spec.
 */
public final class BlueprintReader {

    private static final Pattern AGENT_ID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");
    private static final Pattern HASH = Pattern.compile("sha256:[0-9a-f]{64}");
    private static final Pattern NETNS_NAME = Pattern.compile("[A-Za-z0-9._-]{1,255}");
    /** Firecracker's limit, and the profile's. */
    public static final long MAX_VCPUS = 32;
    public static final long MIN_MEM_MIB = 64;
    public static final long MAX_CID = 4294967294L;

    // The codes the config validator raises (agent-config), the same here.
    private static final String CONFIG_TYPE = "CONFIG_TYPE";
    private static final String CONFIG_REQUIRED = "CONFIG_REQUIRED";
    private static final String MICROVM_BLOCK_MISSING = "MICROVM_BLOCK_MISSING";
    private static final String MICROVM_ROOTFS_RW = "MICROVM_ROOTFS_RW";
    private static final String MICROVM_VCPUS = "MICROVM_VCPUS";
    private static final String MICROVM_MEM = "MICROVM_MEM";
    private static final String MICROVM_CAPS_MOUNT_RO = "MICROVM_CAPS_MOUNT_RO";
    private static final String MICROVM_VSOCK_CID = "MICROVM_VSOCK_CID";

    private BlueprintReader() {}

    public record Read(Optional<VmBlueprint> blueprint, List<Diagnostic> diagnostics) {
        public Read {
            diagnostics = List.copyOf(diagnostics);
        }
    }

    public static Read read(AgentConfig c) {
        List<Diagnostic> out = new ArrayList<>();
        Optional<String> agentId = required(out, c.agentId(), "agent-id", c);
        agentId.filter(id -> !AGENT_ID.matcher(id).matches()).ifPresent(id -> out.add(Diagnostic.error(
                CONFIG_TYPE, "agent-id", "agent id '" + id + "' does not match [a-z0-9][a-z0-9._-]{0,62}",
                "use lowercase letters, digits, '.', '_' and '-'", c.agentId().get().span())));
        if (c.microvm().isEmpty()) {
            out.add(Diagnostic.error(MICROVM_BLOCK_MISSING, "microvm", "no :microvm block to synthesize from",
                    "add :microvm {:kernel … :rootfs … :resources …}", c.keySpan()));
            return new Read(Optional.empty(), out);
        }
        Section microvm = c.microvm().get();
        Optional<String> kernel = required(out, c.kernel().flatMap(k -> k.image()), "microvm.kernel.image",
                c.kernel().map(s -> (Section) s).orElse(microvm));
        Optional<String> rootfs = required(out, c.rootfs().flatMap(r -> r.image()), "microvm.rootfs.image",
                c.rootfs().map(s -> (Section) s).orElse(microvm));
        kernel.filter(String::isBlank).ifPresent(k -> out.add(Diagnostic.error(CONFIG_TYPE, "microvm.kernel.image",
                "the kernel image path is empty", "name the guest kernel file",
                spanOf(c.kernel().flatMap(k2 -> k2.image()), microvm))));
        rootfs.filter(String::isBlank).ifPresent(r -> out.add(Diagnostic.error(CONFIG_TYPE, "microvm.rootfs.image",
                "the rootfs image path is empty", "name the root filesystem image",
                spanOf(c.rootfs().flatMap(r2 -> r2.image()), microvm))));
        Section resources = c.resources().map(s -> (Section) s).orElse(microvm);
        Optional<Long> vcpus = required(out, c.resources().flatMap(r -> r.vcpus()), "microvm.resources.vcpus", resources);
        Optional<Long> mem = required(out, c.resources().flatMap(r -> r.memMb()), "microvm.resources.mem_mb", resources);
        Optional<Boolean> ro = required(out, c.rootfs().flatMap(r -> r.ro()), "microvm.rootfs.ro",
                c.rootfs().map(s -> (Section) s).orElse(microvm));

        if (ro.isPresent() && !ro.get()) {
            out.add(Diagnostic.error(MICROVM_ROOTFS_RW, "microvm.rootfs.ro", "the root filesystem must be read-only",
                    "set :ro true", spanOf(c.rootfs().flatMap(r -> r.ro()), microvm)));
        }
        vcpus.filter(v -> v < 1 || v > MAX_VCPUS).ifPresent(v -> out.add(Diagnostic.error(MICROVM_VCPUS,
                "microvm.resources.vcpus", "vcpus " + v + " is outside 1.." + MAX_VCPUS, "use 1 to 32 vCPUs",
                spanOf(c.resources().flatMap(r -> r.vcpus()), microvm))));
        mem.filter(m -> m < MIN_MEM_MIB || m > Integer.MAX_VALUE).ifPresent(m -> out.add(Diagnostic.error(
                MICROVM_MEM, "microvm.resources.mem_mb", "mem_mb " + m + " is out of range (at least 64)",
                "the profile uses 128–512", spanOf(c.resources().flatMap(r -> r.memMb()), microvm))));
        c.capabilitiesMountMode().filter(m -> m != MountMode.RO).ifPresent(m -> out.add(Diagnostic.error(
                MICROVM_CAPS_MOUNT_RO, "orchestrator.isolation.fs.mounts.capabilities.mode",
                "the capabilities mount must be read-only", "set {:mode :ro}",
                c.fsIsolation().flatMap(fs -> fs.mount(FsIsolation.CAPABILITIES_MOUNT)).flatMap(Mount::mode)
                        .map(Located::span).orElse(c.keySpan()))));

        boolean vsockOn = c.vsockEnabled().orElse(false);
        OptionalLong cid = OptionalLong.empty();
        if (vsockOn) {
            Optional<Long> value = c.vsockCid();
            if (value.isEmpty() || value.get() < 3 || value.get() > MAX_CID) {
                out.add(Diagnostic.error(MICROVM_VSOCK_CID, "microvm.devices.vsock.cid",
                        "vsock is enabled but cid is " + value.map(String::valueOf).orElse("missing"),
                        "use a cid from 3 to 4294967294 (0, 1 and 2 are reserved)",
                        spanOf(c.vsock().flatMap(v -> v.cid()), c.vsock().map(s -> (Section) s).orElse(microvm))));
            } else {
                cid = OptionalLong.of(value.get());
            }
        }
        // The name goes into /var/run/netns/<name> (jailer --netns) and `ip netns exec <name>`: a plain file name.
        if (c.nicEnabled().orElse(false)) {
            c.nic().flatMap(n -> n.proxyNs()).filter(ns -> !NETNS_NAME.matcher(ns.value()).matches()
                    || ns.value().equals(".") || ns.value().equals("..")).ifPresent(ns -> out.add(Diagnostic.error(
                    SynthCodes.SYNTH_PROXY_NS, "microvm.devices.nic.proxy_ns",
                    "proxy_ns '" + ns.value() + "' is not a network namespace name",
                    "use the name of the egress proxy's namespace as `ip netns list` shows it, e.g. egress-proxy-ns",
                    ns.span())));
        }
        Optional<VmBlueprint.Nic> nic = c.nicEnabled().orElse(false)
                ? Optional.of(new VmBlueprint.Nic(c.nicProxyNs().orElse("")))
                : Optional.empty();

        if (out.stream().anyMatch(Diagnostic::isError)) {
            return new Read(Optional.empty(), out);
        }
        Optional<Attestation> att = c.attestation();
        VmBlueprint.Attestation attestation = att.isEmpty()
                ? new VmBlueprint.Attestation(false, Optional.empty(), microvm.keySpan())
                : new VmBlueprint.Attestation(
                        att.get().enabled().map(Located::value).orElse(false),
                        c.expectRootfsHash().filter(h -> HASH.matcher(h).matches()),
                        att.get().expectRootfsHash().map(Located::span).orElse(att.get().keySpan()));
        Span cmdlineSpan = c.kernel().flatMap(k -> k.cmdline()).map(Located::span).orElse(Span.NONE);
        return new Read(Optional.of(new VmBlueprint(agentId.get(), kernel.get(), c.kernelCmdline().orElse(""),
                cmdlineSpan, rootfs.get(), c.capabilitiesMountMode().isPresent(), vcpus.get().intValue(),
                mem.get().intValue(), nic, cid, attestation)), out);
    }

    private static <T> Optional<T> required(List<Diagnostic> out, Optional<Located<T>> field, String path, Section parent) {
        if (field.isEmpty()) {
            String last = path.substring(path.lastIndexOf('.') + 1);
            out.add(Diagnostic.error(CONFIG_REQUIRED, path, "required field :" + last + " is missing",
                    "add :" + last, parent.keySpan()));
        }
        return field.map(Located::value);
    }

    private static Span spanOf(Optional<? extends Located<?>> field, Section parent) {
        return field.map((Function<Located<?>, Span>) Located::span).orElse(parent.keySpan());
    }
}
