package dev.rtfs.microvm.controlplane.protocol;

/** Frames the host sends to a guest. */
public sealed interface HostMessage extends Message
        permits Welcome, Call, Ack, Shutdown, ErrorReply, HealthStatus, MetricsReport, CacheHit, CacheMiss,
                CacheStored {}
