package dev.rtfs.microvm.vmm;

import dev.rtfs.microvm.agentconfig.ValidatedConfig;
import dev.rtfs.microvm.agentconfig.diag.ConfigCode;
import dev.rtfs.microvm.agentconfig.diag.Diagnostic;
import dev.rtfs.microvm.agentconfig.model.AgentConfig;
import dev.rtfs.microvm.agentconfig.model.Attestation;
import dev.rtfs.microvm.agentconfig.model.Located;
import dev.rtfs.microvm.agentconfig.model.MicroVm;
import dev.rtfs.microvm.rtfslang.Span;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * A validated config to {@link VmBlueprint}. Validation (agent-config) owns every MicroVM rule (limits, required
 * fields, read-only root); this only maps, and refuses what synthesis alone needs: a {@code :microvm} block (a valid
 * config may run without a VM) and a proxy namespace usable as a file name and an argv word.
 */
public final class BlueprintReader {

    private static final Pattern HASH = Pattern.compile("sha256:[0-9a-f]{64}");
    private static final Pattern NETNS_NAME = Pattern.compile("[A-Za-z0-9._-]{1,255}");

    private BlueprintReader() {}

    public record Read(Optional<VmBlueprint> blueprint, List<Diagnostic> diagnostics) {
        public Read {
            diagnostics = List.copyOf(diagnostics);
        }
    }

    public static Read read(ValidatedConfig validated) {
        AgentConfig c = validated.config();
        List<Diagnostic> out = new ArrayList<>();
        if (c.microvm().isEmpty()) {
            out.add(Diagnostic.error(ConfigCode.MICROVM_BLOCK_MISSING, "microvm", "no :microvm block to synthesize from",
                    "add :microvm {:kernel … :rootfs … :resources …}", c.keySpan()));
            return new Read(Optional.empty(), out);
        }
        MicroVm microvm = c.microvm().get();
        // The name goes into /var/run/netns/<name> (jailer --netns) and `ip netns exec <name>`: a plain file name.
        boolean nicOn = c.nicEnabled().orElse(false);
        if (nicOn) {
            c.nic().flatMap(n -> n.proxyNs()).filter(ns -> !NETNS_NAME.matcher(ns.value()).matches()
                    || ns.value().equals(".") || ns.value().equals("..")).ifPresent(ns -> out.add(Diagnostic.error(
                    SynthCode.SYNTH_PROXY_NS, "microvm.devices.nic.proxy_ns",
                    "proxy_ns '" + ns.value() + "' is not a network namespace name",
                    "use the name of the egress proxy's namespace as `ip netns list` shows it, e.g. egress-proxy-ns",
                    ns.span())));
        }
        if (!out.isEmpty()) {
            return new Read(Optional.empty(), out);
        }
        // Validation required these fields in a :microvm block and checked their ranges (MicroVmPolicy).
        Optional<VmBlueprint.Nic> nic = nicOn
                ? Optional.of(new VmBlueprint.Nic(c.nicProxyNs().orElse("")))
                : Optional.empty();
        OptionalLong cid = c.vsockEnabled().orElse(false) ? OptionalLong.of(c.vsockCid().orElseThrow()) : OptionalLong.empty();
        Optional<Attestation> att = c.attestation();
        VmBlueprint.Attestation attestation = att.isEmpty()
                ? new VmBlueprint.Attestation(false, Optional.empty(), microvm.keySpan())
                : new VmBlueprint.Attestation(
                        att.get().enabled().map(Located::value).orElse(false),
                        c.expectRootfsHash().filter(h -> HASH.matcher(h).matches()),
                        att.get().expectRootfsHash().map(Located::span).orElse(att.get().keySpan()));
        Span cmdlineSpan = c.kernel().flatMap(k -> k.cmdline()).map(Located::span).orElse(Span.NONE);
        return new Read(Optional.of(new VmBlueprint(c.agentIdValue().orElseThrow(), c.kernelImage().orElseThrow(),
                c.kernelCmdline().orElse(""), cmdlineSpan, c.rootfsImage().orElseThrow(),
                c.capabilitiesMountMode().isPresent(), Math.toIntExact(c.vcpus().orElseThrow()),
                Math.toIntExact(c.memMb().orElseThrow()), nic, cid, attestation)), out);
    }
}
