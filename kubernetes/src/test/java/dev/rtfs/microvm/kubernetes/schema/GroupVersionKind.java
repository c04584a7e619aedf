package dev.rtfs.microvm.kubernetes.schema;

/**
 * A Kubernetes type as the API names it: {@code group} is empty for the core group, whose apiVersion is the bare
 * version ({@code v1}); every other group's apiVersion is {@code group/version} ({@code apps/v1}).
 */
public record GroupVersionKind(String group, String version, String kind) {

    public GroupVersionKind {
        if (group == null || version == null || kind == null) throw new IllegalArgumentException("null part");
    }

    public static GroupVersionKind of(String apiVersion, String kind) {
        int slash = apiVersion.indexOf('/');
        return slash < 0
                ? new GroupVersionKind("", apiVersion, kind)
                : new GroupVersionKind(apiVersion.substring(0, slash), apiVersion.substring(slash + 1), kind);
    }

    public String apiVersion() {
        return group.isEmpty() ? version : group + "/" + version;
    }
}
