package dev.rtfs.microvm.egresspolicy.acl;

import java.net.InetAddress;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The standalone proxy's ACL file (docs/egress-acl.md): enforcement mode, one {@link AgentAcl} per agent id (in file
 * order) and the static {@code resolve} override consulted before DNS.
 */
public record AclFile(EnforcementMode mode, Map<String, AgentAcl> agents, Map<String, List<InetAddress>> resolve) {

    public AclFile {
        Objects.requireNonNull(mode);
        agents = Collections.unmodifiableMap(new LinkedHashMap<>(agents));
        LinkedHashMap<String, List<InetAddress>> r = new LinkedHashMap<>();
        resolve.forEach((k, v) -> r.put(k, List.copyOf(v)));
        resolve = Collections.unmodifiableMap(r);
    }
}
