package dev.rtfs.microvm.egresspolicy.acl;

import dev.rtfs.microvm.egresspolicy.net.HostNormalizer;
import dev.rtfs.microvm.egresspolicy.net.IpAddress;
import dev.rtfs.microvm.egresspolicy.net.NormalizedHost;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads and writes the ACL documents of docs/egress-acl.md with strict validation: unknown fields, wrong types, bad
 * domains, CIDRs, ports or methods are rejected with the JSON path of the value; omitted fields take the strict
 * defaults of {@link AgentAcl#strictDefaults(String)}. The codec checks the JSON shape; each field's rule is the
 * one {@link AgentAcl}'s builder applies ({@link AclRules}), so a document and an ACL built in code are refused and
 * normalized alike (lowercase punycode domains, uppercase methods, sorted, deduplicated) and equal rules compare equal.
 *
 * <p>Size: reading and writing every field of the document sit side by side so a field is never read without being
 * written (the round-trip tests rely on it).
 */
public final class AclCodec {

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private static final Set<String> FILE_FIELDS = Set.of("mode", "agents", "resolve");
    private static final Set<String> RULE_FIELDS = Set.of("listen", "allow_domains", "allow_methods",
            "connect_ports", "allow_ranges", "dlp", "rate", "max_request_bytes", "max_response_bytes", "max_connections",
            "tls", "tls_passthrough", "tls_pins", "upstream_ca", "client_cert", "inject_headers", "service_account");
    private static final Set<String> AGENT_DOC_FIELDS;
    private static final Set<String> FILE_AGENT_FIELDS;

    static {
        TreeSet<String> doc = new TreeSet<>(RULE_FIELDS);
        doc.add("agent_id");
        doc.add("step");
        AGENT_DOC_FIELDS = Set.copyOf(doc);
        TreeSet<String> inFile = new TreeSet<>(RULE_FIELDS);
        inFile.add("agent_id");
        FILE_AGENT_FIELDS = Set.copyOf(inFile);
    }

    private static final Pattern SIMPLE_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private AclCodec() {}

    // ---------------------------------------------------------------- reading

    /** Parses a whole ACL file. */
    public static AclFile parseFile(String json) {
        JsonNode root = readTree(json);
        requireObject(root, "$");
        rejectUnknown(root, "$", FILE_FIELDS);

        EnforcementMode mode = EnforcementMode.ENFORCE;
        JsonNode m = root.get("mode");
        if (m != null && !m.isNull()) {
            String s = string(m, "$.mode");
            mode = switch (s) {
                case "enforce" -> EnforcementMode.ENFORCE;
                case "report" -> EnforcementMode.REPORT;
                default -> throw new AclFormatException("$.mode", "must be \"enforce\" or \"report\", not \"" + s + "\"");
            };
        }

        JsonNode agentsNode = root.get("agents");
        if (agentsNode == null || agentsNode.isNull()) {
            throw new AclFormatException("$.agents", "required: an object mapping agent ids to their rules");
        }
        requireObject(agentsNode, "$.agents");
        Map<String, AgentAcl> agents = new LinkedHashMap<>();
        Map<String, String> listenOwner = new HashMap<>();
        Map<String, String> accountOwner = new HashMap<>();
        for (Map.Entry<String, JsonNode> e : agentsNode.properties()) {
            String path = "$.agents" + key(e.getKey());
            ruleAt(path, () -> AclRules.agentId(e.getKey()));
            AgentAcl acl = readAgent(e.getValue(), path, Optional.of(e.getKey()), FILE_AGENT_FIELDS);
            if (acl.listen().isPresent()) {
                String prev = listenOwner.putIfAbsent(acl.listen().get(), e.getKey());
                if (prev != null) {
                    throw new AclFormatException(path + ".listen",
                            "\"" + acl.listen().get() + "\" is already the listener of agent \"" + prev + "\"");
                }
            }
            if (acl.serviceAccount().isPresent()) {
                String prev = accountOwner.putIfAbsent(acl.serviceAccount().get(), e.getKey());
                if (prev != null) {
                    throw new AclFormatException(path + ".service_account", "\"" + acl.serviceAccount().get()
                            + "\" is already the ServiceAccount of agent \"" + prev + "\"");
                }
            }
            agents.put(e.getKey(), acl);
        }

        Map<String, List<InetAddress>> resolve = new LinkedHashMap<>();
        JsonNode r = root.get("resolve");
        if (r != null && !r.isNull()) {
            requireObject(r, "$.resolve");
            for (Map.Entry<String, JsonNode> e : r.properties()) {
                String path = "$.resolve" + key(e.getKey());
                String host = switch (HostNormalizer.normalize(e.getKey())) {
                    case NormalizedHost.Name n -> n.ascii();
                    case NormalizedHost.Literal l -> throw new AclFormatException(path, "an IP literal needs no resolve entry");
                    case NormalizedHost.Invalid i -> throw new AclFormatException(path, "\"" + e.getKey() + "\": " + i.reason());
                };
                JsonNode arr = e.getValue();
                requireArray(arr, path);
                if (arr.isEmpty()) {
                    throw new AclFormatException(path, "needs at least one address");
                }
                List<InetAddress> addrs = new ArrayList<>();
                for (int i = 0; i < arr.size(); i++) {
                    String ip = string(arr.get(i), path + "[" + i + "]");
                    IpAddress parsed = IpAddress.parseStrict(ip).orElseThrow(() -> new AclFormatException(
                            path + "[" + addrs.size() + "]", "\"" + ip + "\" is not an IPv4 dotted quad or IPv6 address"));
                    addrs.add(parsed.toInetAddress());
                }
                if (resolve.put(host, addrs) != null) {
                    throw new AclFormatException(path, "host \"" + host + "\" is listed twice (after normalization)");
                }
            }
        }
        return new AclFile(mode, agents, resolve);
    }

    /**
     * Parses either form of docs/egress-acl.md: a whole ACL file, or one agent's document (a root with
     * {@code agent_id}, no {@code step}) as the file of that one agent in enforce mode. An ACL directory's files
     * ({@code --acl-dir}) are read this way.
     */
    public static AclFile parseFileOrAgent(String json) {
        JsonNode root = readTree(json);
        if (root != null && root.isObject() && root.has("agent_id")) {
            AgentAcl acl = readAgent(root, "$", Optional.empty(), AGENT_DOC_FIELDS);
            if (acl.step().isPresent()) {
                throw new AclFormatException("$.step", "a step ACL is not an agent's ACL; give the agent document");
            }
            return new AclFile(EnforcementMode.ENFORCE, Map.of(acl.agentId(), acl), Map.of());
        }
        return parseFile(json);
    }

    /** Parses one agent's ACL document (control API, orchestrator step ACLs); {@code agent_id} is required. */
    public static AgentAcl parseAgent(String json) {
        return readAgent(readTree(json), "$", Optional.empty(), AGENT_DOC_FIELDS);
    }

    /**
     * Parses one agent's ACL where the agent id is known from context (a control API path); an
     * {@code agent_id} in the document must then equal it.
     */
    public static AgentAcl parseAgent(String json, String agentId) {
        return readAgent(readTree(json), "$", Optional.of(agentId), AGENT_DOC_FIELDS);
    }

    private static AgentAcl readAgent(JsonNode n, String path, Optional<String> contextId, Set<String> allowed) {
        requireObject(n, path);
        rejectUnknown(n, path, allowed);

        String agentId;
        JsonNode idNode = n.get("agent_id");
        if (idNode != null && !idNode.isNull()) {
            String id = string(idNode, path + ".agent_id");
            agentId = rule(path, () -> AclRules.agentId(id));
            if (contextId.isPresent() && !contextId.get().equals(agentId)) {
                throw new AclFormatException(path + ".agent_id",
                        "\"" + agentId + "\" does not match the agent \"" + contextId.get() + "\" it is given for");
            }
        } else if (contextId.isPresent()) {
            agentId = contextId.get();
        } else {
            throw new AclFormatException(path + ".agent_id", "required");
        }
        // Each field's own rule is the builder's (AclRules): here only the JSON shape, and the path of a refusal.
        AgentAcl.Builder b = rule(path, () -> AgentAcl.builder(agentId));

        JsonNode stepNode = n.get("step");
        boolean isStep = stepNode != null && !stepNode.isNull();
        if (isStep) {
            String s = string(stepNode, path + ".step");
            rule(path, () -> b.step(s));
        }
        if (present(n, path, "service_account")) {
            String sa = string(n.get("service_account"), path + ".service_account");
            rule(path, () -> b.serviceAccount(sa));
        }
        JsonNode listenNode = n.get("listen");
        if (listenNode != null && !listenNode.isNull()) {
            String l = string(listenNode, path + ".listen");
            rule(path, () -> b.listen(l));
        }
        if (present(n, path, "allow_domains")) {
            List<String> domains = strings(n.get("allow_domains"), path + ".allow_domains");
            rule(path, () -> b.allowDomains(domains));
        }
        if (present(n, path, "allow_methods")) {
            List<String> methods = strings(n.get("allow_methods"), path + ".allow_methods");
            rule(path, () -> b.allowMethods(methods));
        }
        if (present(n, path, "connect_ports")) {
            JsonNode arr = n.get("connect_ports");
            requireArray(arr, path + ".connect_ports");
            List<Integer> ports = new ArrayList<>();
            for (int i = 0; i < arr.size(); i++) {
                long port = integer(arr.get(i), path + ".connect_ports[" + i + "]");
                ports.add(ruleAt(path + ".connect_ports[" + i + "]", () -> AclRules.port(port)));
            }
            rule(path, () -> b.connectPorts(ports));
        }
        if (present(n, path, "allow_ranges")) {
            List<String> ranges = strings(n.get("allow_ranges"), path + ".allow_ranges");
            rule(path, () -> b.allowRanges(ranges));
        }
        if (present(n, path, "dlp")) {
            String s = string(n.get("dlp"), path + ".dlp");
            try {
                b.dlp(DlpMode.fromJson(s));
            } catch (IllegalArgumentException e) {
                throw new AclFormatException(path + ".dlp", e.getMessage());
            }
        }
        JsonNode rateNode = n.get("rate");
        if (rateNode != null && !rateNode.isNull()) {
            String rp = path + ".rate";
            requireObject(rateNode, rp);
            rejectUnknown(rateNode, rp, Set.of("per_second", "burst"));
            JsonNode ps = rateNode.get("per_second");
            if (ps == null || ps.isNull()) {
                throw new AclFormatException(rp + ".per_second", "required");
            }
            if (!ps.isNumber()) {
                throw new AclFormatException(rp + ".per_second", "must be a positive number");
            }
            double perSecond = rule(path, () -> AclRules.perSecond(ps.doubleValue()));
            long burst = present(rateNode, rp, "burst") ? integer(rateNode.get("burst"), rp + ".burst")
                    : Math.max(1, (long) Math.ceil(perSecond));
            rule(path, () -> b.rate(new AgentAcl.Rate(perSecond, burst)));
        }
        if (present(n, path, "max_request_bytes")) {
            long bytes = integer(n.get("max_request_bytes"), path + ".max_request_bytes");
            rule(path, () -> b.maxRequestBytes(bytes));
        }
        if (present(n, path, "max_response_bytes")) {
            long bytes = integer(n.get("max_response_bytes"), path + ".max_response_bytes");
            rule(path, () -> b.maxResponseBytes(bytes));
        }
        if (present(n, path, "max_connections")) {
            if (isStep) {
                throw new AclFormatException(path + ".max_connections",
                        "the connection cap is per agent (its listener), not per step; set it in the agent ACL");
            }
            long connections = integer(n.get("max_connections"), path + ".max_connections");
            rule(path, () -> b.maxConnections(AclRules.maxConnections(connections)));
        }
        readTls(n, path, b);
        if (present(n, path, "inject_headers")) {
            if (isStep) {
                throw new AclFormatException(path + ".inject_headers",
                        "injected headers are per agent, not per step; set them in the agent ACL (a step inherits them)");
            }
            Map<String, List<InjectedHeader>> inject = readInjectHeaders(n.get("inject_headers"), path + ".inject_headers");
            rule(path, () -> b.injectHeaders(inject));
        }
        return b.build();
    }

    /** {@code inject_headers}: domain pattern to {@code [{"name", "env"|"file", "prefix"?}]}; references only. */
    private static Map<String, List<InjectedHeader>> readInjectHeaders(JsonNode o, String path) {
        requireObject(o, path);
        Map<String, List<InjectedHeader>> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : o.properties()) {
            String dp = path + key(e.getKey());
            JsonNode arr = e.getValue();
            requireArray(arr, dp);
            List<InjectedHeader> headers = new ArrayList<>();
            for (int i = 0; i < arr.size(); i++) {
                String hp = dp + "[" + i + "]";
                JsonNode h = arr.get(i);
                requireObject(h, hp);
                rejectUnknown(h, hp, Set.of("name", "env", "file", "prefix"));
                if (!present(h, hp, "name")) {
                    throw new AclFormatException(hp + ".name", "required: the header to inject");
                }
                String name = string(h.get("name"), hp + ".name");
                boolean env = present(h, hp, "env");
                boolean file = present(h, hp, "file");
                if (env == file) {
                    throw new AclFormatException(hp, "needs exactly one of \"env\" (a variable of the proxy's"
                            + " environment) or \"file\" (a host path)");
                }
                SecretRef source = env
                        ? rule(hp, () -> new SecretRef.Env(string(h.get("env"), hp + ".env")))
                        : rule(hp, () -> new SecretRef.SecretFile(string(h.get("file"), hp + ".file")));
                String prefix = present(h, hp, "prefix") ? string(h.get("prefix"), hp + ".prefix") : "";
                headers.add(rule(hp, () -> new InjectedHeader(name, source, prefix)));
            }
            out.put(e.getKey(), headers);
        }
        return out;
    }

    /** The TLS fields ({@link TlsRules}); absent ones keep the tunnel defaults. */
    private static void readTls(JsonNode n, String path, AgentAcl.Builder b) {
        TlsMode mode = TlsMode.TUNNEL;
        if (present(n, path, "tls")) {
            String s = string(n.get("tls"), path + ".tls");
            try {
                mode = TlsMode.fromJson(s);
            } catch (IllegalArgumentException e) {
                throw new AclFormatException(path + ".tls", e.getMessage());
            }
        }
        List<String> passthrough = present(n, path, "tls_passthrough")
                ? strings(n.get("tls_passthrough"), path + ".tls_passthrough") : List.of();
        Map<String, List<String>> pins = new LinkedHashMap<>();
        if (present(n, path, "tls_pins")) {
            JsonNode o = n.get("tls_pins");
            requireObject(o, path + ".tls_pins");
            for (Map.Entry<String, JsonNode> e : o.properties()) {
                pins.put(e.getKey(), strings(e.getValue(), path + ".tls_pins" + key(e.getKey())));
            }
        }
        Optional<String> ca = present(n, path, "upstream_ca")
                ? Optional.of(string(n.get("upstream_ca"), path + ".upstream_ca")) : Optional.empty();
        Map<String, ClientCert> certs = new LinkedHashMap<>();
        if (present(n, path, "client_cert")) {
            JsonNode o = n.get("client_cert");
            requireObject(o, path + ".client_cert");
            for (Map.Entry<String, JsonNode> e : o.properties()) {
                String cp = path + ".client_cert" + key(e.getKey());
                JsonNode c = e.getValue();
                requireObject(c, cp);
                rejectUnknown(c, cp, Set.of("cert", "key"));
                for (String f : List.of("cert", "key")) {
                    if (c.get(f) == null || c.get(f).isNull()) {
                        throw new AclFormatException(cp + "." + f, "required: a host path to a PEM file");
                    }
                }
                String cert = string(c.get("cert"), cp + ".cert");
                String keyFile = string(c.get("key"), cp + ".key");
                certs.put(e.getKey(), rule(cp, () -> new ClientCert(cert, keyFile)));
            }
        }
        TlsMode m = mode;
        b.tls(rule(path, () -> new TlsRules(m, passthrough, pins, ca, certs)));
    }

    /**
     * Applies a rule of {@link AclRules} (directly or through the builder); a refusal becomes an
     * {@link AclFormatException} at {@code path} followed by the field the rule names ({@code $.allow_domains[1]}).
     */
    private static <T> T rule(String path, Supplier<T> rule) {
        try {
            return rule.get();
        } catch (AclRuleException e) {
            throw new AclFormatException(path + "." + e.field(), e.detail());
        }
    }

    /** Applies the rule of one value whose own path is {@code path} ({@code $.connect_ports[0]}). */
    private static <T> T ruleAt(String path, Supplier<T> rule) {
        try {
            return rule.get();
        } catch (AclRuleException e) {
            throw new AclFormatException(path, e.detail());
        }
    }

    /**
     * Validates a listener address given outside a document (the CLI's {@code --listen}); errors carry
     * {@code where} as their path.
     */
    public static String validateListen(String value, String where) {
        try {
            return AclRules.listen(value);
        } catch (AclRuleException e) {
            throw new AclFormatException(where, e.detail());
        }
    }

    // ---------------------------------------------------------------- writing

    /** One agent's document, including {@code agent_id} and {@code step} when present. */
    public static String toJson(AgentAcl acl) {
        return MAPPER.writeValueAsString(agentNode(acl, true));
    }

    public static String toJson(AclFile file) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("mode", file.mode().jsonName());
        ObjectNode agents = root.putObject("agents");
        file.agents().forEach((id, acl) -> agents.set(id, agentNode(acl, false)));
        ObjectNode resolve = root.putObject("resolve");
        file.resolve().forEach((host, addrs) -> {
            ArrayNode arr = resolve.putArray(host);
            addrs.forEach(a -> arr.add(IpAddress.of(a).toString()));
        });
        return MAPPER.writeValueAsString(root);
    }

    static ObjectNode agentNode(AgentAcl acl, boolean withIdentity) {
        ObjectNode o = MAPPER.createObjectNode();
        if (withIdentity) {
            o.put("agent_id", acl.agentId());
            acl.step().ifPresent(s -> o.put("step", s));
        }
        acl.listen().ifPresent(l -> o.put("listen", l));
        acl.serviceAccount().ifPresent(sa -> o.put("service_account", sa));
        ArrayNode d = o.putArray("allow_domains");
        acl.allowDomains().forEach(d::add);
        ArrayNode m = o.putArray("allow_methods");
        acl.allowMethods().forEach(m::add);
        ArrayNode p = o.putArray("connect_ports");
        acl.connectPorts().forEach(p::add);
        ArrayNode r = o.putArray("allow_ranges");
        acl.allowRanges().forEach(r::add);
        o.put("dlp", acl.dlp().jsonName());
        acl.rate().ifPresent(rate -> {
            ObjectNode rn = o.putObject("rate");
            rn.put("per_second", rate.perSecond());
            rn.put("burst", rate.burst());
        });
        o.put("max_request_bytes", acl.maxRequestBytes());
        o.put("max_response_bytes", acl.maxResponseBytes());
        if (acl.step().isEmpty()) { // a step has no connection cap of its own
            o.put("max_connections", acl.maxConnections());
        }
        writeTls(o, acl.tls());
        writeInjectHeaders(o, acl.injectHeaders());
        return o;
    }

    /** Only TLS rules that differ from the tunnel default are written, so older documents stay as they were. */
    private static void writeTls(ObjectNode o, TlsRules tls) {
        if (tls.equals(TlsRules.TUNNEL)) {
            return;
        }
        o.put("tls", tls.mode().jsonName());
        ArrayNode pt = o.putArray("tls_passthrough");
        tls.passthrough().forEach(pt::add);
        ObjectNode pins = o.putObject("tls_pins");
        tls.pins().forEach((domain, list) -> {
            ArrayNode arr = pins.putArray(domain);
            list.forEach(arr::add);
        });
        tls.upstreamCa().ifPresent(ca -> o.put("upstream_ca", ca));
        ObjectNode certs = o.putObject("client_cert");
        tls.clientCerts().forEach((domain, c) -> {
            ObjectNode cn = certs.putObject(domain);
            cn.put("cert", c.cert());
            cn.put("key", c.key());
        });
    }

    /** References only ({@code env}/{@code file}): a document never carries a secret's value. */
    private static void writeInjectHeaders(ObjectNode o, Map<String, List<InjectedHeader>> inject) {
        if (inject.isEmpty()) {
            return;
        }
        ObjectNode byDomain = o.putObject("inject_headers");
        inject.forEach((domain, headers) -> {
            ArrayNode arr = byDomain.putArray(domain);
            for (InjectedHeader h : headers) {
                ObjectNode hn = arr.addObject();
                hn.put("name", h.name());
                switch (h.source()) {
                    case SecretRef.Env env -> hn.put("env", env.variable());
                    case SecretRef.SecretFile file -> hn.put("file", file.path());
                }
                if (!h.prefix().isEmpty()) {
                    hn.put("prefix", h.prefix());
                }
            }
        });
    }

    // ---------------------------------------------------------------- helpers

    private static JsonNode readTree(String json) {
        try {
            JsonNode n = MAPPER.readTree(json);
            if (n == null || n.isMissingNode()) {
                throw new AclFormatException("line 1, column 1", "empty document");
            }
            return n;
        } catch (JacksonException e) {
            TokenStreamLocation loc = e.getLocation();
            String where = loc == null ? "$" : "line " + loc.getLineNr() + ", column " + loc.getColumnNr();
            throw new AclFormatException(where, "invalid JSON: " + e.getOriginalMessage());
        }
    }

    private static boolean present(JsonNode n, String path, String field) {
        JsonNode v = n.get(field);
        if (v != null && v.isNull()) {
            // Explicit null is a mistake for a rule field: strict defaults are had by omitting it.
            throw new AclFormatException(path + "." + field, "null is not allowed; omit the field for the default");
        }
        return v != null;
    }

    private static void rejectUnknown(JsonNode n, String path, Set<String> allowed) {
        for (String name : n.propertyNames()) {
            if (!allowed.contains(name)) {
                throw new AclFormatException(path + key(name),
                        "unknown field; expected one of " + new TreeSet<>(allowed));
            }
        }
    }

    private static void requireObject(JsonNode n, String path) {
        if (!n.isObject()) {
            throw new AclFormatException(path, "must be an object, not " + kind(n));
        }
    }

    private static void requireArray(JsonNode n, String path) {
        if (!n.isArray()) {
            throw new AclFormatException(path, "must be an array, not " + kind(n));
        }
    }

    private static String string(JsonNode n, String path) {
        if (!n.isString()) {
            throw new AclFormatException(path, "must be a string, not " + kind(n));
        }
        return n.stringValue();
    }

    private static long integer(JsonNode n, String path) {
        if (!n.isIntegralNumber() || !n.canConvertToLong()) {
            throw new AclFormatException(path, "must be an integer, not " + kind(n));
        }
        return n.longValue();
    }

    private static List<String> strings(JsonNode arr, String path) {
        requireArray(arr, path);
        List<String> out = new ArrayList<>(arr.size());
        for (int i = 0; i < arr.size(); i++) {
            out.add(string(arr.get(i), path + "[" + i + "]"));
        }
        return out;
    }

    private static String kind(JsonNode n) {
        return n.getNodeType().name().toLowerCase(Locale.ROOT);
    }

    private static String key(String name) {
        return SIMPLE_KEY.matcher(name).matches() ? "." + name : "[\"" + name.replace("\"", "\\\"") + "\"]";
    }
}
