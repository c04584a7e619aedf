package dev.rtfs.microvm.guest;

import dev.rtfs.microvm.guest.image.GuestInitramfs;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The reference guest agent: {@code agent.sh} (a resource next to this class), run by busybox sh as the last
 * part of the guest's /init. The image build and the boot tests get the whole /init from {@link #init}.
 */
final class ReferenceAgent {

    /** Where the script lives inside the initramfs. */
    public static final String PATH_IN_IMAGE = "agent/agent.sh";

    /**
     * Kernel command-line parameter the agent takes its agent_id from (the synthesizers always set it from the
     * config's :agent-id); without it the id is {@link #DEFAULT_AGENT_ID}.
     */
    public static final String AGENT_ID_PARAM = dev.rtfs.microvm.vmm.KernelCmdline.AGENT_ID_PARAM;

    public static final String DEFAULT_AGENT_ID = "agent";

    /** What the agent accepts as an id from the kernel command line (anything else falls back to the default). */
    private static final Pattern AGENT_ID = Pattern.compile("[A-Za-z0-9._:-]{1,256}");

    /** The capabilities the script answers; any other gets {@code ok:false, error:"unknown capability"}. */
    public static final List<String> CAPABILITIES = List.of("echo", "text.echo", "fs.read", "http.get", "http.post", "fs.write",
            "random.int", "clock.now");

    /**
     * The guest's accounts: root for the agent, and nobody (65534), the unprivileged user user capabilities run as
     * (busybox su looks the name up here). In the initramfs, and in a Debian rootfs that has no passwd of its own.
     */
    static final String PASSWD = "root:x:0:0:root:/:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n";
    static final String GROUP = "root:x:0:\nnogroup:x:65534:\n";

    /** The initramfs files besides busybox and /init: the script and the accounts. */
    static Map<String, byte[]> initramfsFiles() {
        return Map.of(PATH_IN_IMAGE, script(), "etc/passwd", PASSWD.getBytes(StandardCharsets.UTF_8),
                "etc/group", GROUP.getBytes(StandardCharsets.UTF_8));
    }

    /** Console line the agent prints last, just before /init powers the guest off. */
    public static final String STOPPED_MARKER = "rtfs-agent: stopped";

    private ReferenceAgent() {}

    /** The kernel command-line argument that names the agent, e.g. {@code rtfs.agent_id=agent.demo}. */
    public static String kernelArg(String agentId) {
        if (agentId == null || !AGENT_ID.matcher(agentId).matches()) {
            throw new IllegalArgumentException("agent id for the kernel command line must match " + AGENT_ID
                    + ": " + agentId);
        }
        return AGENT_ID_PARAM + "=" + agentId;
    }

    /** The script's bytes, exactly as packed into the image. */
    public static byte[] script() {
        try (InputStream in = ReferenceAgent.class.getResourceAsStream("agent.sh")) {
            if (in == null) {
                throw new IllegalStateException("agent.sh is missing from the guest module's resources");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The guest's whole /init: the standard preamble, then the agent, then power-off whatever happened. When the
     * rootfs is a Debian userland (it carries {@code /etc/rtfs-userland}), the agent runs chrooted into it (see
     * {@link #USERLAND_SWITCH}); otherwise it runs from the initramfs, as a busybox-only guest always did.
     */
    public static String init(GuestInitramfs initramfs) {
        return initramfs.preamble() + USERLAND_SWITCH + "/bin/sh /" + PATH_IN_IMAGE + "\npoweroff -f\n";
    }

    /**
     * Boots into the read-only Debian rootfs: tmpfs only where writes are allowed (/run: the agent's scratch, /tmp:
     * the step workdirs; 0755, so a user capability running as nobody writes only its own workdir), the pseudo filesystems and /agent (the script and the capability store) bound in, the
     * rootfs bound read-only onto its own /mnt/root (where fs.read looks), then the agent on the image's busybox,
     * whose applets come first on PATH so that every built-in behaves as before and the Debian tools (curl) follow.
     * chroot rather than switch_root: /init stays PID 1 in the initramfs and powers off after the agent, as it
     * does without a userland.
     */
    static final String USERLAND_SWITCH = """
            if [ -f /mnt/root/etc/rtfs-userland ]; then
                R=/mnt/root
                mount -t tmpfs -o mode=0755,nosuid,nodev run $R/run
                mount -t tmpfs -o mode=0755,nosuid,nodev tmp $R/tmp
                for m in dev proc sys agent; do mount -o rbind /$m $R/$m; done
                mount -o bind,ro $R $R/mnt/root
                PATH=/opt/rtfs/bin:/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin chroot $R /opt/rtfs/bin/sh /agent/agent.sh
                poweroff -f
            fi
            """;

    static String scriptText() {
        return new String(script(), StandardCharsets.UTF_8);
    }
}
