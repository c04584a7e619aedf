package dev.rtfs.microvm.controlplane.chain;

/** A stored record line that is not a valid record; the message says why, the caller says where. */
final class RecordDefect extends Exception {
    public RecordDefect(String reason) {
        super(reason);
    }
}
