package dev.rtfs.microvm.egressproxy.observe;

/** Receives every decision record (the causal chain subscribes here). Called on proxy threads: must not block. */
@FunctionalInterface
public interface DecisionSink {
    void accept(DecisionRecord record);
}
