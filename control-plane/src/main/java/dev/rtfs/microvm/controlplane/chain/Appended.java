package dev.rtfs.microvm.controlplane.chain;

/**
 * Completion of {@link ChainStore#append}: the record is durable at {@code seq} with {@code hash}. For an entry whose
 * origin was already in the chain, {@code duplicate} is true and {@code seq}/{@code hash} are those of the head at
 * the time (the original record is at least as durable).
 */
public record Appended(long seq, String hash, boolean duplicate) {}
