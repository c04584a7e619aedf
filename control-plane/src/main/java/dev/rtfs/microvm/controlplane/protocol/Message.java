package dev.rtfs.microvm.controlplane.protocol;

/**
 * One frame of the control protocol (control-plane/PROTOCOL.md): a JSON object on one line with {@code type}, {@code v} and the
 * fields of its type. Guest and host speak disjoint vocabularies; there is deliberately no message that makes the
 * host run a command.
 */
sealed interface Message permits GuestMessage, HostMessage {

    /** Protocol version written in every frame and the only one accepted. */
    int VERSION = 1;

    /** The wire name in the {@code type} field. */
    String type();
}
