package dev.rtfs.microvm.controlplane.chain;

/** What a valid chain's {@code HEAD} says about its end (see {@link ChainVerifier#verify(java.nio.file.Path, HeadTrust, java.security.PublicKey, java.util.function.Consumer)}). */
public sealed interface HeadStatus {

    /** The last record is the signed head; {@code signatureChecked} is false only when the caller waived it. */
    record Signed(SignedHead head, boolean signatureChecked) implements HeadStatus {}

    /**
     * The signed head is in the chain, followed by {@code unsignedRecords} hash-linked records it does not cover: a
     * crash between a group commit and the head update, or records appended by someone without the key. Nothing was
     * removed, but those records are not vouched for.
     */
    record UnsignedTail(SignedHead head, boolean signatureChecked, long unsignedRecords) implements HeadStatus {}

    /** The head was not looked at (records only: a lone segment file, or no HEAD under {@code --no-signature}). */
    record NotChecked(String why) implements HeadStatus {}
}
