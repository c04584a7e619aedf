package dev.rtfs.microvm.kubernetes;

import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The security settings every emitted pod carries (agent and proxy alike): non-root 65532 (distroless "nonroot"),
 * seccomp RuntimeDefault, read-only root filesystem, no privilege escalation, not privileged, every capability
 * dropped; and requests equal to limits (Guaranteed QoS).
 */
public final class Hardening {

    public static final long USER = 65532;

    private Hardening() {}

    public static PodSecurityContext pod() {
        return new PodSecurityContextBuilder().withRunAsNonRoot(true).withRunAsUser(USER).withRunAsGroup(USER)
                .withFsGroup(USER).withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile().build();
    }

    public static SecurityContext container() {
        return new SecurityContextBuilder().withReadOnlyRootFilesystem(true).withAllowPrivilegeEscalation(false)
                .withPrivileged(false).withRunAsNonRoot(true).withNewCapabilities().withDrop("ALL").endCapabilities()
                .build();
    }

    /** Requests = limits = {@code cpu}, {@code memory}. */
    public static ResourceRequirements resources(String cpu, String memory) {
        Map<String, Quantity> q = new LinkedHashMap<>();
        q.put("cpu", new Quantity(cpu));
        q.put("memory", new Quantity(memory));
        return new ResourceRequirementsBuilder().withLimits(q).withRequests(new LinkedHashMap<>(q)).build();
    }
}
