package dev.rtfs.microvm.kubernetes;

import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.dataformat.toml.TomlMapper;

/**
 * The Kata configuration drop-in of a runtime ({@code 50-rtfs.toml} in {@link KataRuntime#dropInDirectory()}): the
 * sizing base of {@link KataSizing} and the {@code enable_annotations} that let the pod's {@link KataAnnotations}
 * through. On Firecracker it also turns on {@code static_sandbox_resource_mgmt}: the VM is sized once from the pod's
 * limits. It carries no {@code kernel_params}: a drop-in's value replaces the base configuration's (and kata-deploy's
 * own {@code 30-kernel-params.toml}) for every pod of the node, while the pod's {@code kernel_params} annotation is
 * appended to them for that pod only. Written by a TOML library.
 */
public final class KataDropIn {

    /**
     * The file name the operator installs it under, and its key in the drop-in ConfigMap. Drop-ins apply in file-name
     * order: after kata-deploy's own (10- to 30-), before an operator's {@code 50-user-overrides.toml}.
     */
    public static final String FILE_NAME = "50-rtfs.toml";
    private static final TomlMapper TOML = TomlMapper.builder().build();

    private KataDropIn() {}

    public static String toml(KataRuntime runtime) {
        Map<String, Object> hypervisor = new LinkedHashMap<>();
        hypervisor.put("default_vcpus", KataSizing.BASE_VCPUS);
        hypervisor.put("default_memory", KataSizing.BASE_MEMORY_MB);
        hypervisor.put("enable_annotations", KataAnnotations.ENABLED);
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("hypervisor", Map.of(runtime.hypervisor(), hypervisor));
        if (!runtime.hotplug()) {
            root.put("runtime", Map.of("static_sandbox_resource_mgmt", true));
        }
        return TOML.writeValueAsString(root);
    }
}
