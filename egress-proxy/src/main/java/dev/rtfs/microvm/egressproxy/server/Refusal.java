package dev.rtfs.microvm.egressproxy.server;

import dev.rtfs.microvm.egresspolicy.decision.Reason;

/** Why the proxy refuses a request: the reason code the record and the answer carry, and a human detail. */
record Refusal(Reason reason, String detail) {
}
