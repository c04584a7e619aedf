package dev.rtfs.microvm.vmm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtfs.microvm.vmm.cloudhypervisor.CloudHypervisorSpec;
import dev.rtfs.microvm.vmm.firecracker.FirecrackerConfig;
import dev.rtfs.microvm.vmm.firecracker.FirecrackerSpec;
import dev.rtfs.microvm.vmm.api.ApiCall;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Every object we emit validates against the upstream schemas, and the validation demonstrably can fail. */
class SchemaConformanceTest {

    private static final Path RUN = Path.of("/run/rtfs/agent.demo");

    /** With a run config disk, so its drive is checked against the schemas too. */
    private static final SynthOptions OPTIONS = SynthOptions.defaults(RUN).withRunConfigDisk(RUN.resolve("run-config.img"));

    private static FirecrackerSpec firecracker(TestConfigs c) {
        return ((SynthResult.Synthesized<FirecrackerSpec>) VmSynthesizer.standard()
                .firecracker(c.build(), OPTIONS)).spec();
    }

    private static CloudHypervisorSpec cloudHypervisor(TestConfigs c) {
        return ((SynthResult.Synthesized<CloudHypervisorSpec>) VmSynthesizer.standard()
                .cloudHypervisor(c.build(), OPTIONS)).spec();
    }

    /** (definition, object) for every object of the config file, keyed as in FullVmConfiguration. */
    private static List<Map.Entry<String, JsonNode>> firecrackerObjects(FirecrackerConfig config) {
        JsonNode tree = VmmJson.tree(config);
        List<Map.Entry<String, JsonNode>> out = new ArrayList<>();
        out.add(Map.entry("FullVmConfiguration", tree));
        out.add(Map.entry("BootSource", tree.get("boot-source")));
        out.add(Map.entry("MachineConfiguration", tree.get("machine-config")));
        tree.get("drives").forEach(d -> out.add(Map.entry("Drive", d)));
        if (tree.has("network-interfaces")) tree.get("network-interfaces").forEach(n -> out.add(Map.entry("NetworkInterface", n)));
        out.add(Map.entry("Vsock", tree.get("vsock")));
        out.add(Map.entry("Logger", tree.get("logger")));
        out.add(Map.entry("Metrics", tree.get("metrics")));
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"firecracker-v1.16.1.yaml", "firecracker.yaml"})
    void everyFirecrackerObjectConforms(String anchor) {
        UpstreamSchemas schemas = UpstreamSchemas.swagger2(VendoredSchemas.require(anchor), true);
        for (TestConfigs c : List.of(TestConfigs.example(), TestConfigs.airGapped())) {
            FirecrackerSpec spec = firecracker(c);
            List<Map.Entry<String, JsonNode>> objects = firecrackerObjects(spec.config());
            assertThat(objects).extracting(Map.Entry::getKey).contains("BootSource", "Drive", "MachineConfiguration",
                    "Vsock", "Logger", "Metrics");
            for (Map.Entry<String, JsonNode> o : objects) {
                assertThat(schemas.validate(o.getKey(), o.getValue())).as(anchor + " " + o.getKey() + " " + o.getValue())
                        .isEmpty();
            }
        }
        // The example has a NIC; check it separately so an empty list cannot hide it.
        JsonNode nic = VmmJson.tree(firecracker(TestConfigs.example()).config()).get("network-interfaces").get(0);
        assertThat(schemas.validate("NetworkInterface", nic)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"firecracker-v1.16.1.yaml", "firecracker.yaml"})
    void everyApiBodyConformsToItsEndpointDefinition(String anchor) {
        UpstreamSchemas schemas = UpstreamSchemas.swagger2(VendoredSchemas.require(anchor), true);
        Map<String, String> definitionByPath = Map.of(
                "/machine-config", "MachineConfiguration", "/boot-source", "BootSource", "/drives", "Drive",
                "/network-interfaces", "NetworkInterface", "/vsock", "Vsock", "/logger", "Logger",
                "/metrics", "Metrics", "/actions", "InstanceActionInfo");
        for (ApiCall call : firecracker(TestConfigs.example()).apiCalls()) {
            String base = call.path().replaceFirst("^(/[a-z-]+).*", "$1");
            String def = definitionByPath.get(base);
            assertThat(def).as(call.path()).isNotNull();
            assertThat(schemas.validate(def, call.body())).as(call.path()).isEmpty();
        }
    }

    @Test
    void cloudHypervisorBodyConformsToVmConfig() {
        UpstreamSchemas schemas = UpstreamSchemas.openApi30(VendoredSchemas.require("cloud-hypervisor.yaml"), true);
        for (TestConfigs c : List.of(TestConfigs.example(), TestConfigs.airGapped())) {
            JsonNode body = VmmJson.tree(cloudHypervisor(c).vmConfig());
            assertThat(schemas.validate("VmConfig", body)).as(body.toString()).isEmpty();
        }
    }

    // ---- the check can fail

    @Test
    void snakeCaseTopLevelKeyIsRejected() {
        UpstreamSchemas schemas = UpstreamSchemas.swagger2(VendoredSchemas.require("firecracker-v1.16.1.yaml"), true);
        ObjectNode tree = (ObjectNode) VmmJson.tree(firecracker(TestConfigs.example()).config());
        tree.set("boot_source", tree.remove("boot-source"));
        assertThat(schemas.validate("FullVmConfiguration", tree)).isNotEmpty();
    }

    @Test
    void unknownNestedFieldsAreRejected() {
        UpstreamSchemas schemas = UpstreamSchemas.swagger2(VendoredSchemas.require("firecracker-v1.16.1.yaml"), true);
        ObjectNode iface = (ObjectNode) VmmJson.tree(firecracker(TestConfigs.example()).config())
                .get("network-interfaces").get(0).deepCopy();
        iface.put("allow_mmds_requests", true); // removed upstream; real Firecracker rejects it
        assertThat(schemas.validate("NetworkInterface", iface)).isNotEmpty();
        ObjectNode logger = (ObjectNode) VmmJson.tree(firecracker(TestConfigs.example()).config()).get("logger").deepCopy();
        logger.put("log_fifo", "/tmp/x"); // removed upstream
        assertThat(schemas.validate("Logger", logger)).isNotEmpty();

        UpstreamSchemas ch = UpstreamSchemas.openApi30(VendoredSchemas.require("cloud-hypervisor.yaml"), true);
        ObjectNode body = (ObjectNode) VmmJson.tree(cloudHypervisor(TestConfigs.example()).vmConfig());
        ((ObjectNode) body.get("payload")).put("root", "/dev/vda");
        assertThat(ch.validate("VmConfig", body)).isNotEmpty();
    }

    @Test
    void wrongTypesAndMissingRequiredFieldsAreRejected() {
        UpstreamSchemas schemas = UpstreamSchemas.swagger2(VendoredSchemas.require("firecracker.yaml"), true);
        ObjectNode machine = (ObjectNode) VmmJson.tree(firecracker(TestConfigs.example()).config()).get("machine-config").deepCopy();
        machine.put("vcpu_count", "1");
        assertThat(schemas.validate("MachineConfiguration", machine)).isNotEmpty();
        ObjectNode vsock = (ObjectNode) VmmJson.tree(firecracker(TestConfigs.example()).config()).get("vsock").deepCopy();
        vsock.put("guest_cid", 2);
        assertThat(schemas.validate("Vsock", vsock)).isNotEmpty();

        UpstreamSchemas ch = UpstreamSchemas.openApi30(VendoredSchemas.require("cloud-hypervisor.yaml"), true);
        ObjectNode body = (ObjectNode) VmmJson.tree(cloudHypervisor(TestConfigs.example()).vmConfig());
        ((ObjectNode) body.get("memory")).put("size", "256M");
        assertThat(ch.validate("VmConfig", body)).isNotEmpty();
        ObjectNode noPayload = (ObjectNode) VmmJson.tree(cloudHypervisor(TestConfigs.example()).vmConfig());
        noPayload.remove("payload");
        assertThat(ch.validate("VmConfig", noPayload)).isNotEmpty();
    }

    @Test
    void upstreamExampleRoundTripsThroughTheModel() throws Exception {
        for (String example : List.of("firecracker-vm_config_network.json", "firecracker-vm_config.json")) {
            String text = Files.readString(VendoredSchemas.require(example));
            FirecrackerConfig model = VmmJson.read(text, FirecrackerConfig.class);
            JsonNode original = withoutNulls(VmmJson.MAPPER.readTree(text));
            assertThat(VmmJson.tree(model)).as(example).isEqualTo(original);
            assertThat(VmmJson.MAPPER.readTree(VmmJson.pretty(model))).isEqualTo(original);
        }
    }

    @Test
    void unknownNestedFieldFailsToReadIntoTheModel() {
        String bad = "{\"boot-source\":{\"kernel_image_path\":\"k\",\"root\":\"x\"},\"drives\":[]}";
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> VmmJson.read(bad, FirecrackerConfig.class))
                .isInstanceOf(tools.jackson.core.JacksonException.class);
    }

    /** Firecracker reads an explicit null as "absent"; our model writes absent fields not at all. */
    static JsonNode withoutNulls(JsonNode node) {
        if (node.isObject()) {
            ObjectNode copy = tools.jackson.databind.node.JsonNodeFactory.instance.objectNode();
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                if (!e.getValue().isNull()) copy.set(e.getKey(), withoutNulls(e.getValue()));
            }
            return copy;
        }
        if (node.isArray()) {
            var copy = tools.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
            node.forEach(n -> copy.add(withoutNulls(n)));
            return copy;
        }
        return node;
    }
}
