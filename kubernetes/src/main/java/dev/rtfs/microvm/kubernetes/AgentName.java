package dev.rtfs.microvm.kubernetes;

import java.util.Locale;

/**
 * An agent's name on the cluster: the agent id lowercased, every character outside {@code [a-z0-9-]} replaced by
 * {@code -}, at most 63 characters, starting and ending alphanumeric (a DNS-1123 label: ServiceAccount, labels,
 * the ConfigMap key). The config's agent id pattern starts with {@code [a-z0-9]}, so trimming only the end suffices.
 */
public record AgentName(String agentId, String value) {

    public static final int MAX = 63;

    public static AgentName of(String agentId) {
        String s = agentId.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
        if (s.length() > MAX) s = s.substring(0, MAX);
        s = s.replaceAll("^-+", "").replaceAll("-+$", "");
        return new AgentName(agentId, s.isEmpty() ? "agent" : s);
    }

    /** The ACL ConfigMap in the proxy namespace. */
    public String aclConfigMap() {
        String n = "rtfs-acl-" + value;
        return n.length() <= 253 ? n : n.substring(0, 253);
    }

    /** The ACL document's key in that ConfigMap (and its file name under the proxy's --acl-dir). */
    public String aclKey() {
        return value + ".json";
    }
}
