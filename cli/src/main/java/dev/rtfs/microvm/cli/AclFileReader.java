package dev.rtfs.microvm.cli;

import dev.rtfs.microvm.egresspolicy.acl.AclCodec;
import dev.rtfs.microvm.egresspolicy.acl.AclFile;
import dev.rtfs.microvm.egresspolicy.acl.AclFormatException;
import dev.rtfs.microvm.rtfslang.BoundedInput;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads an ACL file (docs/egress-acl.md) for {@code proxy} and {@code proxy switch}: bounded like every input. An
 * unreadable file is a {@link UsageException} (exit 2); one that is too large, not UTF-8, invalid or without
 * agents is {@link Refused} with its one-line message (exit 1).
 */
final class AclFileReader {

    private AclFileReader() {}

    /** The file was read but cannot be used: the message names the file and, for a bad document, the JSON path. */
    static final class Refused extends Exception {
        Refused(String message) {
            super(message, null, false, false);
        }
    }

    static AclFile read(String acl) throws Refused {
        byte[] bytes;
        try {
            bytes = BoundedInput.readAtMost(Path.of(acl), BoundedInput.maxInputBytes());
        } catch (BoundedInput.TooLarge e) {
            throw new Refused(acl + ": larger than the input limit of " + BoundedInput.maxInputBytes() + " bytes ("
                    + e.seen() + "; raise it with -D" + BoundedInput.MAX_INPUT_PROPERTY + "=BYTES)");
        } catch (InvalidPathException | IOException e) {
            throw new UsageException("cannot read " + acl + ": " + (e instanceof NoSuchFileException
                    ? "no such file" : e.getMessage()));
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new Refused(acl + ": not UTF-8 text");
        }
        AclFile file;
        try {
            file = AclCodec.parseFile(text);
        } catch (AclFormatException e) {
            throw new Refused(acl + ": " + e.getMessage());
        }
        if (file.agents().isEmpty()) {
            throw new Refused(acl + ": $.agents: no agents, nothing to proxy");
        }
        return file;
    }
}
