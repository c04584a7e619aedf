package dev.rtfs.microvm.kubernetes;

import java.util.LinkedHashMap;
import java.util.Map;

/** The labels of the shared contract between the agent manifests, the proxy's and its NetworkPolicies. */
public final class Labels {

    public static final String NAME = "app.kubernetes.io/name";
    public static final String PART_OF = "app.kubernetes.io/part-of";
    public static final String AGENT_ID = "rtfs.dev/agent-id";
    public static final String PRODUCT = "rtfs-microvm";
    public static final String AGENT_APP = "rtfs-agent";
    /** The namespace label the API server sets on every namespace. */
    public static final String NAMESPACE_NAME = "kubernetes.io/metadata.name";

    private Labels() {}

    /** An agent's objects and pods. */
    public static Map<String, String> agent(AgentName name) {
        Map<String, String> l = new LinkedHashMap<>();
        l.put(NAME, AGENT_APP);
        l.put(PART_OF, PRODUCT);
        l.put(AGENT_ID, name.value());
        return l;
    }

    /** An agent's ACL ConfigMap (in the proxy namespace). */
    public static Map<String, String> acl(AgentName name) {
        Map<String, String> l = new LinkedHashMap<>();
        l.put(PART_OF, PRODUCT);
        l.put(AGENT_ID, name.value());
        return l;
    }

    /** The proxy's objects and pods. */
    public static Map<String, String> proxy() {
        Map<String, String> l = new LinkedHashMap<>();
        l.put(NAME, ProxyManifests.NAME);
        l.put(PART_OF, PRODUCT);
        return l;
    }
}
