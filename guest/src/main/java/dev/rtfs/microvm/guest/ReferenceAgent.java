package dev.rtfs.microvm.guest;

import dev.rtfs.microvm.vmm.image.GuestInitramfs;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The reference guest agent: {@code agent.sh} (a resource next to this class), run by busybox sh as the last
 * part of the guest's /init. The image build and the boot tests get the whole /init from {@link #init}.
 */
public final class ReferenceAgent {

    /** Where the script lives inside the initramfs. */
    public static final String PATH_IN_IMAGE = "agent/agent.sh";

    private ReferenceAgent() {}

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

    /** The guest's whole /init: the standard preamble, then the agent, then power-off whatever happened. */
    public static String init(GuestInitramfs initramfs) {
        return initramfs.preamble() + "/bin/sh /" + PATH_IN_IMAGE + "\npoweroff -f\n";
    }

    static String scriptText() {
        return new String(script(), StandardCharsets.UTF_8);
    }
}
