package dev.rtfs.microvm.guest.image;

import java.io.IOException;

/**
 * The guest kernel or its modules cannot be used: no such kernel, not a bzImage, a malformed or oversized
 * {@code modules.dep} / {@code modules.builtin}, a module the guest needs that the kernel does not have, a module
 * built for another kernel. The message is one line for the user and names the file (and line) or the module and
 * the kernel version. An {@link IOException}, so callers that already report I/O failures report these too.
 */
public final class KernelInputException extends IOException {

    public KernelInputException(String message) {
        super(message);
    }

    public KernelInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
