package dev.rtfs.microvm.agentconfig;

/** The stable diagnostic codes that config checking emits (users script against these names). */
public final class Codes {
    private Codes() {}

    public static final String RTFS_SYNTAX = "RTFS_SYNTAX";
    public static final String RTFS_EVAL = "RTFS_EVAL";
    public static final String CONFIG_NOT_AGENT_CONFIG = "CONFIG_NOT_AGENT_CONFIG";
    public static final String CONFIG_SHAPE = "CONFIG_SHAPE";
    public static final String CONFIG_DUPLICATE_KEY = "CONFIG_DUPLICATE_KEY";
    public static final String CONFIG_KEY_ALIAS = "CONFIG_KEY_ALIAS";
    public static final String CONFIG_UNKNOWN_KEY = "CONFIG_UNKNOWN_KEY";
    public static final String CONFIG_TYPE = "CONFIG_TYPE";
    public static final String CONFIG_REQUIRED = "CONFIG_REQUIRED";
    public static final String MICROVM_BLOCK_MISSING = "MICROVM_BLOCK_MISSING";
    public static final String MICROVM_ISOLATION_MODE = "MICROVM_ISOLATION_MODE";
    public static final String MICROVM_FS_EPHEMERAL = "MICROVM_FS_EPHEMERAL";
    public static final String MICROVM_CAPS_MOUNT_RO = "MICROVM_CAPS_MOUNT_RO";
    public static final String MICROVM_CAPS_MOUNT_MISSING = "MICROVM_CAPS_MOUNT_MISSING";
    public static final String MICROVM_ROOTFS_RW = "MICROVM_ROOTFS_RW";
    public static final String MICROVM_VCPUS = "MICROVM_VCPUS";
    public static final String MICROVM_MEM = "MICROVM_MEM";
    public static final String MICROVM_MEM_HIGH = "MICROVM_MEM_HIGH";
    public static final String MICROVM_VSOCK_CID = "MICROVM_VSOCK_CID";
    public static final String MICROVM_NIC_EGRESS = "MICROVM_NIC_EGRESS";
    public static final String MICROVM_EGRESS_ALLOWLIST = "MICROVM_EGRESS_ALLOWLIST";
    public static final String EGRESS_DOMAIN_INVALID = "EGRESS_DOMAIN_INVALID";
    public static final String EGRESS_TLS_PIN_FORMAT = "EGRESS_TLS_PIN_FORMAT";
    public static final String EGRESS_TLS_PIN_PLACEHOLDER = "EGRESS_TLS_PIN_PLACEHOLDER";
    public static final String MICROVM_ATTESTATION_HASH_DEFERRED = "MICROVM_ATTESTATION_HASH_DEFERRED";
    public static final String MICROVM_ATTESTATION_HASH_FORMAT = "MICROVM_ATTESTATION_HASH_FORMAT";
    public static final String DLP_DISABLED = "DLP_DISABLED";
    public static final String DLP_NOT_STRICT = "DLP_NOT_STRICT";
}
