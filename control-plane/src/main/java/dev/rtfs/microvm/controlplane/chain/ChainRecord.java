package dev.rtfs.microvm.controlplane.chain;

import tools.jackson.databind.JsonNode;

/**
 * One durable record of the causal chain. {@code hash} is the lowercase hex sha256 of the canonical JSON of every
 * other field; {@code prev} is the previous record's hash ({@link RecordFormat#GENESIS} for seq 1).
 */
public record ChainRecord(long seq, String prev, long ts, String kind, String agentId, String planId, String step,
                          JsonNode data, Origin origin, String hash) {}
