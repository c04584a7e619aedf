package dev.rtfs.microvm.controlplane.protocol;

/** Frames a guest (or any {@link dev.rtfs.microvm.controlplane.sender.ReliableSender}) sends to the host. */
public sealed interface GuestMessage extends Message
        permits Hello, Event, Result, ResultChunk, ChunkedResult, Health, Metrics, CacheGet, CachePut {}
