package dev.rtfs.microvm.orchestrator.profile;

import dev.rtfs.microvm.egresspolicy.acl.TlsMode;
import dev.rtfs.microvm.egresspolicy.acl.TlsRules;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Writes step profiles in their JSON shape (what {@code profile --format json} prints), fields in contract order. */
public final class StepProfileJson {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private StepProfileJson() {}

    public static ObjectNode toJson(StepProfile p) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("step", p.step());
        o.put("index", p.index());
        ObjectNode acl = o.putObject("network_acl");
        p.networkAcl().allowDomains().forEach(acl.putArray("allow_domains")::add);
        p.networkAcl().allowMethods().forEach(acl.putArray("allow_methods")::add);
        // Like the proxy's ACL documents: TLS is written only when it is not the tunnel default.
        TlsRules tls = p.networkAcl().tlsRules();
        if (!p.networkAcl().deniesAll() && tls.mode() == TlsMode.INTERCEPT) {
            acl.put("tls", tls.mode().jsonName());
            tls.passthrough().forEach(acl.putArray("tls_passthrough")::add);
        }
        ObjectNode fs = o.putObject("fs_policy");
        fs.put("workdir", p.fsPolicy().workdir());
        fs.put("capabilities_mount", p.fsPolicy().capabilitiesMount());
        p.fsPolicy().allowedPaths().forEach(fs.putArray("allowed_paths")::add);
        ObjectNode det = o.putObject("determinism");
        det.put("time", p.determinism().time());
        det.put("random", p.determinism().random());
        if (p.determinism().seed().isPresent()) det.put("seed", p.determinism().seed().get());
        else det.putNull("seed");
        ObjectNode gates = o.putObject("feature_gates");
        gates.put("llm", p.featureGates().llm());
        gates.put("gpu", p.featureGates().gpu());
        ObjectNode limits = o.putObject("limits");
        if (p.limits().maxTimeMs().isPresent()) limits.put("max_time_ms", p.limits().maxTimeMs().getAsLong());
        else limits.putNull("max_time_ms");
        return o;
    }

    public static ArrayNode toJson(List<StepProfile> profiles) {
        ArrayNode a = MAPPER.createArrayNode();
        profiles.forEach(p -> a.add(toJson(p)));
        return a;
    }

    public static String write(StepProfile p) {
        return MAPPER.writeValueAsString(toJson(p));
    }

    /** The profiles as a pretty-printed JSON array (the CLI's {@code --format json}). */
    public static String writeAll(List<StepProfile> profiles) {
        return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(toJson(profiles));
    }
}
