package dev.rtfs.microvm.kubernetes;

import dev.rtfs.microvm.agentconfig.model.AgentConfig;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The agent's workload: a Pod (or, with a plan, a Job that runs it once: backoffLimit 0, restartPolicy Never) in a
 * Kata MicroVM, its ServiceAccount and, with a plan, the plan as a ConfigMap. The pod mounts the capability store
 * read-only from the ConfigMap {@code rtfs-capabilities-<name>} the operator creates from the image's store, the
 * projected token the proxy identifies the agent by, and (for an ephemeral fs) a memory-backed /tmp.
 */
public final class AgentManifests {

    public static final String TOKEN_VOLUME = "rtfs-egress-token";
    public static final String TOKEN_DIR = "/var/run/secrets/rtfs-egress";
    public static final String TOKEN_AUDIENCE = "rtfs-egress-proxy";
    public static final long TOKEN_SECONDS = 3600;
    public static final String CAPABILITIES_VOLUME = "capabilities";
    public static final String CAPABILITIES_DIR = "/opt/rtfs/capabilities";
    public static final String PLAN_DIR = "/etc/rtfs/plan";
    public static final String PLAN_KEY = "plan.rtfs";
    /** The size cap of the writable /tmp of an ephemeral fs; it lives in the VM's memory. */
    public static final String TMP_SIZE = "64Mi";

    private AgentManifests() {}

    public static ServiceAccount serviceAccount(AgentName name, KubernetesOptions options) {
        return new ServiceAccountBuilder().withMetadata(meta(name.value(), name, options))
                .withAutomountServiceAccountToken(false).build();
    }

    public static String capabilitiesConfigMap(AgentName name) {
        return "rtfs-capabilities-" + name.value();
    }

    public static String planConfigMap(AgentName name) {
        return "rtfs-plan-" + name.value();
    }

    public static Pod pod(AgentConfig config, AgentName name, KubernetesOptions options) {
        return new PodBuilder().withMetadata(podMeta(config, name, options)).withSpec(spec(config, name, options, false))
                .build();
    }

    public static Job job(AgentConfig config, AgentName name, KubernetesOptions options) {
        return new JobBuilder().withMetadata(meta(name.value(), name, options))
                .withNewSpec().withBackoffLimit(0)
                .withNewTemplate().withMetadata(podMeta(config, name, options).edit().withName(null).withNamespace(null).build())
                .withSpec(spec(config, name, options, true)).endTemplate()
                .endSpec().build();
    }

    public static ConfigMap plan(AgentName name, KubernetesOptions options, String planText) {
        return new ConfigMapBuilder().withMetadata(meta(planConfigMap(name), name, options))
                .withData(Map.of(PLAN_KEY, planText)).build();
    }

    private static ObjectMeta meta(String objectName, AgentName name, KubernetesOptions options) {
        return new ObjectMetaBuilder().withName(objectName).withNamespace(options.namespace())
                .withLabels(Labels.agent(name)).build();
    }

    private static ObjectMeta podMeta(AgentConfig config, AgentName name, KubernetesOptions options) {
        return new ObjectMetaBuilder(meta(name.value(), name, options)).withAnnotations(KataAnnotations.of(config)).build();
    }

    private static PodSpec spec(AgentConfig config, AgentName name, KubernetesOptions options, boolean once) {
        KataSizing size = KataSizing.of(config.vcpus().orElse(1L), config.memMb().orElse(KataSizing.BASE_MEMORY_MB));
        List<Volume> volumes = new ArrayList<>();
        List<VolumeMount> mounts = new ArrayList<>();
        volumes.add(new VolumeBuilder().withName(CAPABILITIES_VOLUME).withNewConfigMap()
                .withName(capabilitiesConfigMap(name)).withOptional(false).endConfigMap().build());
        mounts.add(mount(CAPABILITIES_VOLUME, CAPABILITIES_DIR));
        volumes.add(new VolumeBuilder().withName(TOKEN_VOLUME).withNewProjected().addNewSource()
                .withNewServiceAccountToken().withAudience(TOKEN_AUDIENCE).withExpirationSeconds(TOKEN_SECONDS).withPath("token").endServiceAccountToken().endSource().endProjected().build());
        mounts.add(mount(TOKEN_VOLUME, TOKEN_DIR));
        if (config.fsEphemeral().orElse(false)) {
            volumes.add(new VolumeBuilder().withName("tmp").withNewEmptyDir().withMedium("Memory")
                    .withSizeLimit(new Quantity(TMP_SIZE)).endEmptyDir().build());
            mounts.add(new VolumeMountBuilder().withName("tmp").withMountPath("/tmp").build());
        }
        List<EnvVar> env = new ArrayList<>(List.of(
                env("RTFS_AGENT_ID", name.agentId()),
                env("RTFS_EGRESS_TOKEN_FILE", TOKEN_DIR + "/token"),
                env("HTTPS_PROXY", options.proxyUrl()),
                env("HTTP_PROXY", options.proxyUrl()),
                env("NO_PROXY", "")));
        if (once) {
            volumes.add(new VolumeBuilder().withName("plan").withNewConfigMap().withName(planConfigMap(name))
                    .withOptional(false).endConfigMap().build());
            mounts.add(mount("plan", PLAN_DIR));
            env.add(env("RTFS_PLAN_FILE", PLAN_DIR + "/" + PLAN_KEY));
        }
        Container agent = new ContainerBuilder().withName("agent").withImage(options.imageRef())
                .withImagePullPolicy("IfNotPresent").withEnv(env)
                .withResources(Hardening.resources(size.cpuQuantity(), size.memoryQuantity()))
                .withSecurityContext(Hardening.container()).withVolumeMounts(mounts).build();
        PodSpecBuilder spec = new PodSpecBuilder().withRuntimeClassName(options.runtime().handler())
                .withServiceAccountName(name.value()).withAutomountServiceAccountToken(false)
                .withEnableServiceLinks(false).withSecurityContext(Hardening.pod())
                .withContainers(agent).withVolumes(volumes);
        if (once) spec.withRestartPolicy("Never");
        return spec.build();
    }

    private static VolumeMount mount(String volume, String path) {
        return new VolumeMountBuilder().withName(volume).withMountPath(path).withReadOnly(true).build();
    }

    private static EnvVar env(String name, String value) {
        return new EnvVarBuilder().withName(name).withValue(value).build();
    }
}
