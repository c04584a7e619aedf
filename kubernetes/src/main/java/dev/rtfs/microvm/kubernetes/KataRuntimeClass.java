package dev.rtfs.microvm.kubernetes;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.node.v1.RuntimeClass;
import io.fabric8.kubernetes.api.model.node.v1.RuntimeClassBuilder;
import java.util.Map;

/**
 * {@code --with-runtime-class}: the profile's RuntimeClass (its handler, the pod overhead the scheduler adds to the
 * pod's requests, scheduled only onto nodes kata-deploy labelled) and its Kata drop-in ({@link KataDropIn}) as a
 * ConfigMap in the proxy namespace, for the operator to install into the runtime's {@code config.d} on each node; the
 * ConfigMap's {@link #INSTALL_PATH} annotation says where.
 */
public final class KataRuntimeClass {

    public static final String NODE_LABEL = "katacontainers.io/kata-runtime";
    /** The drop-in ConfigMap's annotation naming the file on each Kata node the operator installs its key as. */
    public static final String INSTALL_PATH = "rtfs.dev/install-path";

    private KataRuntimeClass() {}

    public static RuntimeClass of(KataRuntime runtime) {
        return new RuntimeClassBuilder().withNewMetadata().withName(runtime.handler())
                .addToLabels(Labels.PART_OF, Labels.PRODUCT).endMetadata()
                .withHandler(runtime.handler())
                .withNewOverhead().addToPodFixed("cpu", new Quantity(runtime.overheadCpu()))
                .addToPodFixed("memory", new Quantity(runtime.overheadMemory())).endOverhead()
                .withNewScheduling().addToNodeSelector(NODE_LABEL, "true").endScheduling()
                .build();
    }

    public static String dropInConfigMapName(KataRuntime runtime) {
        return "rtfs-kata-" + runtime.handler() + "-dropin";
    }

    public static ConfigMap dropIn(KataRuntime runtime, String namespace) {
        return new ConfigMapBuilder().withNewMetadata().withName(dropInConfigMapName(runtime)).withNamespace(namespace)
                .addToLabels(Labels.PART_OF, Labels.PRODUCT)
                .addToAnnotations(INSTALL_PATH, runtime.dropInDirectory() + "/" + KataDropIn.FILE_NAME).endMetadata()
                .withData(Map.of(KataDropIn.FILE_NAME, KataDropIn.toml(runtime))).build();
    }
}
