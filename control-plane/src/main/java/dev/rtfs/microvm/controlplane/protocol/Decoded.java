package dev.rtfs.microvm.controlplane.protocol;

/** Outcome of decoding one frame: the message, or the protocol error that rejects it. */
public sealed interface Decoded<M extends Message> {

    record Accepted<M extends Message>(M message) implements Decoded<M> {}

    record Rejected<M extends Message>(ProtocolError error, String detail) implements Decoded<M> {}
}
