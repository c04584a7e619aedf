package dev.rtfs.microvm.vmm;

import dev.rtfs.microvm.agentconfig.model.AgentConfig;
import dev.rtfs.microvm.agentconfig.model.Attestation;
import dev.rtfs.microvm.agentconfig.model.Devices;
import dev.rtfs.microvm.agentconfig.model.FsIsolation;
import dev.rtfs.microvm.agentconfig.model.Isolation;
import dev.rtfs.microvm.agentconfig.model.IsolationMode;
import dev.rtfs.microvm.agentconfig.model.Kernel;
import dev.rtfs.microvm.agentconfig.model.Located;
import dev.rtfs.microvm.agentconfig.model.MicroVm;
import dev.rtfs.microvm.agentconfig.model.Mount;
import dev.rtfs.microvm.agentconfig.model.MountMode;
import dev.rtfs.microvm.agentconfig.model.Nic;
import dev.rtfs.microvm.agentconfig.model.Orchestrator;
import dev.rtfs.microvm.agentconfig.model.Resources;
import dev.rtfs.microvm.agentconfig.model.Rootfs;
import dev.rtfs.microvm.agentconfig.model.Vsock;
import dev.rtfs.microvm.rtfslang.Span;
import java.util.Map;
import java.util.Optional;

/**
 * Typed configs for vmm tests, built directly (the CLI tests go through the real loader). Every field gets its
 * own line in a fictitious source so diagnostics can be checked for positions.
 */
final class TestConfigs {

    static final String SOURCE = "test.rtfs";

    String agentId = "agent.demo";
    String kernelImage = "kernels/vmlinuz-min";
    String cmdline = "console=none";
    String rootfsImage = "images/agent-rootfs.img";
    Boolean ro = true;
    Long vcpus = 1L;
    Long memMb = 256L;
    boolean nicEnabled = true;
    String proxyNs = "egress-proxy-ns";
    boolean vsockEnabled = true;
    Long cid = 3L;
    MountMode capsMount = MountMode.RO;
    boolean attestationEnabled = true;
    String expectHash = "sha256:...";

    /** The seed example: NIC via the proxy namespace, vsock cid 3, RO capabilities mount, placeholder hash. */
    static TestConfigs example() {
        return new TestConfigs();
    }

    /** No NIC: the agent has no network at all. */
    static TestConfigs airGapped() {
        TestConfigs c = new TestConfigs();
        c.agentId = "agent.airgapped";
        c.nicEnabled = false;
        c.proxyNs = null;
        return c;
    }

    static Span at(int line) {
        return new Span(SOURCE, line * 10, line, 5, line * 10 + 4);
    }

    private static <T> Optional<Located<T>> field(T value, int line) {
        return Optional.ofNullable(value).map(v -> new Located<>(v, at(line)));
    }

    AgentConfig build() {
        Kernel kernel = new Kernel(field(kernelImage, 11), field(cmdline, 12), at(10), at(10));
        Rootfs rootfs = new Rootfs(field(rootfsImage, 14), field(ro, 15), at(13), at(13));
        Resources resources = new Resources(field(vcpus, 17), field(memMb, 18), at(16), at(16));
        Nic nic = new Nic(field(nicEnabled, 20), field(proxyNs, 21), at(19), at(19));
        Vsock vsock = new Vsock(field(vsockEnabled, 23), field(cid, 24), at(22), at(22));
        Devices devices = new Devices(Optional.of(nic), Optional.of(vsock), at(18), at(18));
        Attestation att = new Attestation(field(attestationEnabled, 26), field(expectHash, 27), at(25), at(25));
        MicroVm microvm = new MicroVm(Optional.of(kernel), Optional.of(rootfs), Optional.of(resources),
                Optional.of(devices), Optional.of(att), at(9), at(9));
        Optional<Located<Map<String, Mount>>> mounts = capsMount == null ? Optional.empty()
                : Optional.of(new Located<>(Map.of("capabilities",
                        new Mount("capabilities", field(capsMount, 6), at(6), at(6))), at(5)));
        FsIsolation fs = new FsIsolation(field(true, 4), mounts, at(4), at(4));
        Isolation isolation = new Isolation(field(IsolationMode.MICROVM, 3), Optional.of(fs), at(3), at(3));
        Orchestrator orchestrator = new Orchestrator(Optional.of(isolation), Optional.empty(), at(2), at(2));
        return new AgentConfig(field("0.1", 1), field(agentId, 1), Optional.empty(), Optional.empty(),
                Optional.of(orchestrator), Optional.empty(), Optional.of(microvm), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), at(1), at(1));
    }
}
