package dev.rtfs.microvm.cli.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads a doc as text (tests only: a missing doc is a failure, not a result). */
final class DocFilesText {
    private DocFilesText() {}

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
