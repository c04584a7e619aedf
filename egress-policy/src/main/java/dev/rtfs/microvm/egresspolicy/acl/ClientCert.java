package dev.rtfs.microvm.egresspolicy.acl;

/**
 * Host-side PEM files of the client certificate (chain) and its private key (PKCS#8) the proxy presents to an origin
 * that asks for mTLS. Only paths: the material stays on the host and never reaches the guest.
 */
public record ClientCert(String cert, String key) {
    public ClientCert {
        cert = AclRules.hostPath("cert", cert);
        key = AclRules.hostPath("key", key);
    }
}
