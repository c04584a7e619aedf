package dev.rtfs.microvm.egresspolicy.acl;

import java.util.regex.Pattern;

/**
 * Where the proxy reads a secret it injects (docs/egress-acl.md, {@code inject_headers}): an environment variable of
 * the proxy's process or a host-side file. Only the reference lives in an ACL; the value is read by the proxy when
 * the ACL is put and kept in its memory alone.
 */
public sealed interface SecretRef {

    /** How a reference is named in messages and documents ({@code env API_TOKEN}, {@code file /run/secrets/key}). */
    String describe();

    /** {@code "env": "API_TOKEN"}: a variable of the proxy's environment (POSIX name). */
    record Env(String variable) implements SecretRef {
        static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");

        public Env {
            if (variable == null || !NAME.matcher(variable).matches()) {
                throw new AclRuleException("env", "\"" + variable + "\" is not an environment variable name ("
                        + NAME.pattern() + ")");
            }
        }

        @Override
        public String describe() {
            return "env " + variable;
        }
    }

    /** {@code "file": "/run/secrets/key"}: an absolute host path the proxy reads (bounded, trailing newline trimmed). */
    record SecretFile(String path) implements SecretRef {
        public SecretFile {
            path = AclRules.hostPath("file", path);
        }

        @Override
        public String describe() {
            return "file " + path;
        }
    }
}
