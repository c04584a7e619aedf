package dev.rtfs.microvm.kubernetes;

import dev.rtfs.microvm.agentconfig.diag.Diagnostic;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;

/** What Kubernetes synthesis made of a config: the objects (with warnings), or a refusal with its errors. */
public sealed interface KubernetesResult {

    List<Diagnostic> diagnostics();

    /** The objects in apply order, and the warnings about what the cluster carries more weakly. */
    record Synthesized(List<HasMetadata> objects, List<Diagnostic> diagnostics) implements KubernetesResult {
        public Synthesized {
            objects = List.copyOf(objects);
            diagnostics = List.copyOf(diagnostics);
        }

        public String yaml() {
            return KubernetesYaml.write(objects);
        }
    }

    /** Nothing was synthesized: the diagnostics hold at least one error. */
    record Refused(List<Diagnostic> diagnostics) implements KubernetesResult {
        public Refused {
            diagnostics = List.copyOf(diagnostics);
        }
    }
}
