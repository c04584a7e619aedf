package dev.rtfs.microvm.agentconfig.report;

import java.util.Map;

/** One-line descriptions of the config diagnostic codes ({@code Codes}), for SARIF rule metadata; other modules' codes fall back to the code. */
final class RuleDescriptions {
    private RuleDescriptions() {}

    private static final Map<String, String> TEXT = Map.ofEntries(
            Map.entry("RTFS_SYNTAX", "RTFS reader error"),
            Map.entry("RTFS_EVAL", "RTFS evaluation error"),
            Map.entry("CONFIG_NOT_AGENT_CONFIG", "The value is not an agent config"),
            Map.entry("CONFIG_SHAPE", "Odd key/value list or non-keyword key"),
            Map.entry("CONFIG_DUPLICATE_KEY", "The same key twice (including both spellings)"),
            Map.entry("CONFIG_KEY_ALIAS", "Non-canonical key spelling"),
            Map.entry("CONFIG_UNKNOWN_KEY", "Unknown key"),
            Map.entry("CONFIG_TYPE", "Wrong type or enum value"),
            Map.entry("CONFIG_REQUIRED", "Required field missing"),
            Map.entry("MICROVM_BLOCK_MISSING", "Isolation mode :microvm without a :microvm block"),
            Map.entry("MICROVM_ISOLATION_MODE", ":microvm block present but isolation mode is not :microvm"),
            Map.entry("MICROVM_FS_EPHEMERAL", "Guest filesystem is not ephemeral"),
            Map.entry("MICROVM_CAPS_MOUNT_RO", "Capabilities mount is not read-only"),
            Map.entry("MICROVM_CAPS_MOUNT_MISSING", "No capabilities mount"),
            Map.entry("MICROVM_ROOTFS_RW", "Root filesystem is not read-only"),
            Map.entry("MICROVM_VCPUS", "vCPU count outside 1..32"),
            Map.entry("MICROVM_MEM", "Memory below 64 MB"),
            Map.entry("MICROVM_MEM_HIGH", "Memory above 1024 MB"),
            Map.entry("MICROVM_VSOCK_CID", "vsock CID missing or outside 3..4294967294"),
            Map.entry("MICROVM_NIC_EGRESS", "NIC enabled without proxy egress"),
            Map.entry("MICROVM_EGRESS_ALLOWLIST", "NIC enabled with a missing or empty allowlist"),
            Map.entry("EGRESS_DOMAIN_INVALID", "Allowlist entry is not a lowercase hostname"),
            Map.entry("EGRESS_TLS_PIN_FORMAT", "TLS pin is not sha256/ + base64 of 32 bytes"),
            Map.entry("EGRESS_TLS_PIN_PLACEHOLDER", "TLS pin is a placeholder"),
            Map.entry("MICROVM_ATTESTATION_HASH_DEFERRED", "Attestation hash missing or placeholder; resolved at deploy"),
            Map.entry("MICROVM_ATTESTATION_HASH_FORMAT", "Attestation hash is not sha256: + 64 lowercase hex"),
            Map.entry("DLP_DISABLED", "DLP off for a MicroVM agent"),
            Map.entry("DLP_NOT_STRICT", "DLP policy is not :strict"));

    static String describe(String code) {
        return TEXT.getOrDefault(code, code);
    }
}
