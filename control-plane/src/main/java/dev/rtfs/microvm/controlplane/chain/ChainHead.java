package dev.rtfs.microvm.controlplane.chain;

/** The last durable record: its seq (0 for an empty chain) and hash. */
record ChainHead(long seq, String hash) {}
