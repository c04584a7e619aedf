package dev.rtfs.microvm.kubernetes;

import dev.rtfs.microvm.agentconfig.model.AgentConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.dataformat.toml.TomlMapper;

/**
 * The Kata configuration drop-in of a profile ({@code config.d/50-rtfs.toml} beside the runtime's
 * {@code configuration-<handler>.toml}): the sizing base of {@link KataSizing}, the config's kernel parameters and the
 * {@code enable_annotations} that let the pod's {@link KataAnnotations} through. On Firecracker it also turns on
 * {@code static_sandbox_resource_mgmt}: the VM is sized once from the pod's limits. Written by a TOML library.
 */
public final class KataDropIn {

    /** The file name the operator installs it under, and its key in the drop-in ConfigMap. */
    public static final String FILE_NAME = "50-rtfs.toml";
    private static final TomlMapper TOML = TomlMapper.builder().build();

    private KataDropIn() {}

    public static String toml(KataRuntime runtime, AgentConfig config) {
        Map<String, Object> hypervisor = new LinkedHashMap<>();
        hypervisor.put("default_vcpus", KataSizing.BASE_VCPUS);
        hypervisor.put("default_memory", KataSizing.BASE_MEMORY_MB);
        hypervisor.put("kernel_params", KataAnnotations.kernelParams(config));
        hypervisor.put("enable_annotations", KataAnnotations.ENABLED);
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("hypervisor", Map.of(runtime.hypervisor(), hypervisor));
        if (!runtime.hotplug()) {
            root.put("runtime", Map.of("static_sandbox_resource_mgmt", true));
        }
        return TOML.writeValueAsString(root);
    }
}
