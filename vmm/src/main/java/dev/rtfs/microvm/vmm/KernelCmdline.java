package dev.rtfs.microvm.vmm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/** A kernel command line as whitespace-separated parameters, in order. */
public record KernelCmdline(List<String> params) {

    /**
     * The parameter that tells the guest agent who it is ({@code rtfs.agent_id=<agent-id>}): set by the synthesizer
     * from the config's {@code :agent-id}, replacing any value in the config's cmdline, because the host's control
     * plane accepts only that agent's hello.
     */
    public static final String AGENT_ID_PARAM = "rtfs.agent_id";

    /**
     * The config's {@code :network :egress :tls_pins} for the guest's HTTPS fetches ({@code rtfs.tls_pins=sha256/A,
     * sha256/B}): set by the synthesizer from the valid pins only (a placeholder such as "sha256/..." is left out),
     * replacing any value in the config's cmdline. The guest's curl accepts an origin only if its public key's
     * SPKI sha256 is one of them. The cmdline is the channel because the host writes it before boot and the agent
     * can read but not change it.
     */
    public static final String TLS_PINS_PARAM = "rtfs.tls_pins";

    /**
     * The guest device of the run's read-only config disk ({@code rtfs.run_config=vdc}): set by the synthesizer when
     * the run has one (the supervisor's, under {@code :tls :intercept}), replacing any value in the config's
     * cmdline. Named here rather than found by probing because the device letter follows the drive order, which
     * only the synthesizer knows; the guest still checks the disk's marker before it trusts anything on it.
     */
    public static final String RUN_CONFIG_PARAM = "rtfs.run_config";


    /**
     * The serial console every synthesized VM writes its guest log to (kernel messages, /init, the agent's
     * stderr): QEMU's {@code -serial stdio}, Firecracker's serial on its stdout and Cloud Hypervisor's
     * {@code --serial tty} all reach the supervisor's bounded, private {@code guest.log}.
     */
    public static final String GUEST_LOG_CONSOLE = "console=ttyS0";

    public KernelCmdline {
        params = List.copyOf(params);
        params.forEach(Objects::requireNonNull);
    }

    public static KernelCmdline parse(String text) {
        String trimmed = text.strip();
        return new KernelCmdline(trimmed.isEmpty() ? List.of() : Arrays.asList(trimmed.split("\\s+")));
    }

    /** The part of a parameter before '=' ("console" for "console=ttyS0", "quiet" for "quiet"). */
    static String key(String param) {
        int eq = param.indexOf('=');
        return eq < 0 ? param : param.substring(0, eq);
    }

    public boolean hasKey(String key) {
        return params.stream().anyMatch(p -> key(p).equals(key));
    }

    public KernelCmdline without(String key) {
        return new KernelCmdline(params.stream().filter(p -> !key(p).equals(key)).toList());
    }

    /** Appends each parameter whose key is not set yet (the config's own choice wins). */
    public KernelCmdline withDefaults(String... defaults) {
        List<String> out = new ArrayList<>(params);
        for (String d : defaults) {
            if (!hasKey(key(d))) out.add(d);
        }
        return new KernelCmdline(out);
    }

    /** Puts {@code required} first and removes other parameters with the same keys (the profile wins). */
    public KernelCmdline withRequiredFirst(String... required) {
        List<String> keys = Arrays.stream(required).map(KernelCmdline::key).toList();
        List<String> out = new ArrayList<>(Arrays.asList(required));
        params.stream().filter(p -> !keys.contains(key(p))).forEach(out::add);
        return new KernelCmdline(out);
    }

    /**
     * The guest log is always on: {@code console=none} (the config's way to say "no interactive console") is
     * dropped, other consoles the config names are kept, and {@link #GUEST_LOG_CONSOLE} is appended last so that
     * it becomes /dev/console, where /init and the agent's stderr go.
     */
    public KernelCmdline withGuestLog() {
        List<String> out = new ArrayList<>(params.stream()
                .filter(p -> !(key(p).equals("console") && (p.equals("console=none") || p.equals(GUEST_LOG_CONSOLE))))
                .toList());
        out.add(GUEST_LOG_CONSOLE);
        return new KernelCmdline(out);
    }

    @Override
    public String toString() {
        return String.join(" ", params);
    }
}
