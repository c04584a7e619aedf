package dev.rtfs.microvm.agentconfig.diag;

/** The stable codes of config checking: schema and MicroVM policy (users script against these names). */
public enum ConfigCode implements DiagnosticCode {
    CONFIG_NOT_AGENT_CONFIG("The value is not an agent config"),
    CONFIG_SHAPE("Odd key/value list or non-keyword key"),
    CONFIG_DUPLICATE_KEY("The same key twice (including both spellings)"),
    CONFIG_KEY_ALIAS("Non-canonical key spelling"),
    CONFIG_UNKNOWN_KEY("Unknown key"),
    CONFIG_TYPE("Wrong type or enum value"),
    CONFIG_REQUIRED("Required field missing"),
    MICROVM_BLOCK_MISSING("Isolation mode :microvm without a :microvm block"),
    MICROVM_ISOLATION_MODE(":microvm block present but isolation mode is not :microvm"),
    MICROVM_FS_EPHEMERAL("Guest filesystem is not ephemeral"),
    MICROVM_CAPS_MOUNT_RO("Capabilities mount is not read-only"),
    MICROVM_CAPS_MOUNT_MISSING("No capabilities mount"),
    MICROVM_ROOTFS_RW("Root filesystem is not read-only"),
    MICROVM_VCPUS("vCPU count outside 1..32"),
    MICROVM_MEM("Memory below 64 MB"),
    MICROVM_MEM_HIGH("Memory above 1024 MB"),
    MICROVM_VSOCK_CID("vsock CID missing or outside 3..4294967294"),
    MICROVM_NIC_EGRESS("NIC enabled without proxy egress"),
    MICROVM_EGRESS_ALLOWLIST("NIC enabled with a missing or empty allowlist"),
    EGRESS_DOMAIN_INVALID("Allowlist entry is not a lowercase hostname"),
    EGRESS_TLS_PIN_FORMAT("TLS pin is not sha256/ + base64 of 32 bytes"),
    EGRESS_TLS_PIN_PLACEHOLDER("TLS pin is a placeholder"),
    EGRESS_TUNNEL_DLP_BLIND("HTTPS is tunnelled under strict DLP: DLP and method rules do not see inside TLS"),
    EGRESS_PASSTHROUGH_NOT_ALLOWED("TLS passthrough domain is not in the allowlist"),
    EGRESS_PASSTHROUGH_DLP_BLIND("TLS passthrough domain under interception: DLP is blind there"),
    EGRESS_PASSTHROUGH_STRICT("TLS passthrough domain under strict DLP without a waiver"),
    EGRESS_WAIVER_NOT_PASSTHROUGH("Passthrough waiver for a domain that is not passed through"),
    EGRESS_TLS_DOMAIN_NOT_ALLOWED("Client certificate or credential for a domain not in the allowlist"),
    EGRESS_HOST_PATH("Host-side TLS or secret file is not an absolute path"),
    EGRESS_MTLS_MATERIAL("mTLS under interception without a client certificate"),
    EGRESS_CREDENTIAL_INLINE("A credential written inline instead of referenced"),
    EGRESS_CREDENTIAL_SOURCE("A credential without exactly one valid :env or :file"),
    EGRESS_CREDENTIAL_HEADER("A credential header that is not a token, is reserved, repeated, or a bad prefix"),
    EGRESS_CREDENTIAL_NEEDS_INTERCEPT("Credentials without :tls :intercept"),
    MICROVM_ATTESTATION_HASH_DEFERRED("Attestation hash missing or placeholder; resolved at deploy"),
    MICROVM_ATTESTATION_HASH_FORMAT("Attestation hash is not sha256: + 64 lowercase hex"),
    DLP_DISABLED("DLP off for a MicroVM agent"),
    DLP_NOT_STRICT("DLP policy is not :strict");

    private final String description;

    ConfigCode(String description) {
        this.description = description;
    }

    @Override
    public String namespace() {
        return "config";
    }

    @Override
    public String description() {
        return description;
    }
}
