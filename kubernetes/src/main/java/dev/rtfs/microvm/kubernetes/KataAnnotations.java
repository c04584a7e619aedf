package dev.rtfs.microvm.kubernetes;

import dev.rtfs.microvm.agentconfig.model.AgentConfig;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The per-pod Kata hypervisor annotations synthesis may write, and only these: each one works only when the
 * runtime's {@code enable_annotations} lists it, and the drop-in ({@link KataDropIn}) lists exactly {@link #ENABLED}.
 * Path-valued annotations (kernel, image, hypervisor binaries) are never written: they let a pod pick host files.
 * Values are strings; the numeric ones are decimal integers, as Kata parses them. {@code enable_annotations} entries
 * are regular expressions matched against the key without {@link #PREFIX}; an annotation under the prefix that none
 * matches makes Kata refuse the pod. The {@code kernel_params} annotation is appended to the configured parameters.
 */
public final class KataAnnotations {

    public static final String PREFIX = "io.katacontainers.config.hypervisor.";
    /** The {@code enable_annotations} entries of the drop-in: the annotation names without {@link #PREFIX}. */
    public static final List<String> ENABLED = List.of("default_vcpus", "default_memory", "kernel_params");
    /** The full annotation keys synthesis may emit. */
    public static final Set<String> ALLOWED = ENABLED.stream().map(n -> PREFIX + n).collect(Collectors.toUnmodifiableSet());
    /** The allowed keys whose values Kata parses as integers. */
    public static final Set<String> NUMERIC = Set.of(PREFIX + "default_vcpus", PREFIX + "default_memory");

    private KataAnnotations() {}

    /** The agent pod's annotations: the sizing base (so the VM is sized as {@link KataSizing} says) and the cmdline. */
    public static Map<String, String> of(AgentConfig config) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put(PREFIX + "default_vcpus", Long.toString(KataSizing.BASE_VCPUS));
        out.put(PREFIX + "default_memory", Long.toString(KataSizing.BASE_MEMORY_MB));
        String params = kernelParams(config);
        if (!params.isEmpty()) out.put(PREFIX + "kernel_params", params);
        return out;
    }

    /** The config's {@code :kernel :cmdline} without {@code root=} (Kata chooses the root device). */
    private static String kernelParams(AgentConfig config) {
        return config.kernelCmdline().map(c -> Arrays.stream(c.trim().split("\\s+"))
                .filter(w -> !w.isEmpty() && !w.startsWith("root=")).collect(Collectors.joining(" "))).orElse("");
    }
}
