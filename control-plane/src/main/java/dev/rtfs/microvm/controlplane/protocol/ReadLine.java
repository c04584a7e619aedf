package dev.rtfs.microvm.controlplane.protocol;

/** What a {@link LineReader} produced: a frame, a frame that broke the rules of framing, or the end. */
public sealed interface ReadLine {

    /** A complete line without its newline. */
    record Line(byte[] bytes) implements ReadLine {}

    /** A line longer than the limit; its bytes were skipped, never buffered. */
    record Oversized(long bytes) implements ReadLine {}

    /** The stream ended in the middle of a line. */
    record Truncated(int bytes) implements ReadLine {}

    record EndOfStream() implements ReadLine {}
}
