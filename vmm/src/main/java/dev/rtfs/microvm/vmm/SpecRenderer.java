package dev.rtfs.microvm.vmm;

import dev.rtfs.microvm.vmm.cloudhypervisor.CloudHypervisorSpec;
import dev.rtfs.microvm.vmm.firecracker.FirecrackerSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** The text forms {@code synth} prints; stable byte for byte (golden files). */
final class SpecRenderer {

    private static final Pattern SHELL_SAFE = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

    private SpecRenderer() {}

    /** The {@code --config-file} document. */
    public static String firecrackerConfig(FirecrackerSpec spec) {
        return VmmJson.pretty(spec.config());
    }

    /**
     * {@code {"api_socket", "launch_argv", "jailer_argv", "jailed_api_socket", "calls":[{"method","path","body"}...]}}:
     * start Firecracker with {@code launch_argv} (or under the jailer), then send {@code calls} in order
     * (InstanceStart last).
     */
    public static String firecrackerApi(FirecrackerSpec spec) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("api_socket", spec.apiSocket());
        doc.put("launch_argv", List.of(spec.configFileArgv().getFirst(), "--api-sock", spec.apiSocket()));
        doc.put("jailer_argv", spec.jailerArgv());
        doc.put("jailed_api_socket", spec.jailedApiSocket());
        doc.put("calls", spec.apiCalls());
        return VmmJson.pretty(doc);
    }

    /** The {@code vm.create} body. */
    public static String cloudHypervisorBody(CloudHypervisorSpec spec) {
        return VmmJson.pretty(spec.vmConfig());
    }

    /** One POSIX-shell-quoted command line, with a trailing newline. */
    public static String argv(List<String> argv) {
        return argv.stream().map(SpecRenderer::shellQuote).collect(Collectors.joining(" ")) + "\n";
    }

    static String shellQuote(String word) {
        if (!word.isEmpty() && SHELL_SAFE.matcher(word).matches()) {
            return word;
        }
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
