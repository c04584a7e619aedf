package dev.rtfs.microvm.egresspolicy.acl;

import dev.rtfs.microvm.egresspolicy.net.Cidr;
import dev.rtfs.microvm.egresspolicy.net.HostNormalizer;
import dev.rtfs.microvm.egresspolicy.net.IpAddress;
import dev.rtfs.microvm.egresspolicy.net.NormalizedHost;
import dev.rtfs.microvm.egresspolicy.net.RangeLimit;
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
 * defaults of {@link AgentAcl#strictDefaults(String)}. Lists come out normalized (lowercase punycode domains,
 * uppercase methods, sorted, deduplicated), so equal rules compare equal.
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
            "connect_ports", "allow_ranges", "dlp", "rate", "max_request_bytes", "max_response_bytes", "max_connections");
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

    private static final Pattern AGENT_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern METHOD = Pattern.compile("[A-Z][A-Z0-9_-]{0,31}");
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
        for (Map.Entry<String, JsonNode> e : agentsNode.properties()) {
            String path = "$.agents" + key(e.getKey());
            if (!AGENT_ID.matcher(e.getKey()).matches()) {
                throw new AclFormatException(path, "agent id must match " + AGENT_ID.pattern());
            }
            AgentAcl acl = readAgent(e.getValue(), path, Optional.of(e.getKey()), FILE_AGENT_FIELDS);
            if (acl.listen().isPresent()) {
                String prev = listenOwner.putIfAbsent(acl.listen().get(), e.getKey());
                if (prev != null) {
                    throw new AclFormatException(path + ".listen",
                            "\"" + acl.listen().get() + "\" is already the listener of agent \"" + prev + "\"");
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
        AgentAcl d = AgentAcl.strictDefaults(contextId.orElse("?"));

        String agentId;
        JsonNode idNode = n.get("agent_id");
        if (idNode != null && !idNode.isNull()) {
            agentId = string(idNode, path + ".agent_id");
            if (!AGENT_ID.matcher(agentId).matches()) {
                throw new AclFormatException(path + ".agent_id", "agent id must match " + AGENT_ID.pattern());
            }
            if (contextId.isPresent() && !contextId.get().equals(agentId)) {
                throw new AclFormatException(path + ".agent_id",
                        "\"" + agentId + "\" does not match the agent \"" + contextId.get() + "\" it is given for");
            }
        } else if (contextId.isPresent()) {
            agentId = contextId.get();
        } else {
            throw new AclFormatException(path + ".agent_id", "required");
        }

        Optional<String> step = Optional.empty();
        JsonNode stepNode = n.get("step");
        if (stepNode != null && !stepNode.isNull()) {
            String s = string(stepNode, path + ".step");
            if (s.isEmpty() || s.length() > 128 || s.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                throw new AclFormatException(path + ".step", "must be 1..128 printable characters");
            }
            step = Optional.of(s);
        }

        Optional<String> listen = Optional.empty();
        JsonNode listenNode = n.get("listen");
        if (listenNode != null && !listenNode.isNull()) {
            listen = Optional.of(listen(string(listenNode, path + ".listen"), path + ".listen"));
        }

        List<String> domains = d.allowDomains();
        if (present(n, path, "allow_domains")) {
            TreeSet<String> out = new TreeSet<>();
            forEachString(n.get("allow_domains"), path + ".allow_domains", (s, p) -> out.add(domainPattern(s, p)));
            domains = List.copyOf(out);
        }

        List<String> methods = d.allowMethods();
        if (present(n, path, "allow_methods")) {
            TreeSet<String> out = new TreeSet<>();
            forEachString(n.get("allow_methods"), path + ".allow_methods", (s, p) -> {
                String up = s.toUpperCase(Locale.ROOT);
                if (!METHOD.matcher(up).matches()) {
                    throw new AclFormatException(p, "\"" + s + "\" is not an HTTP method token");
                }
                if (up.equals("CONNECT")) {
                    throw new AclFormatException(p, "CONNECT is governed by connect_ports, not allow_methods");
                }
                out.add(up);
            });
            methods = List.copyOf(out);
        }

        List<Integer> ports = d.connectPorts();
        if (present(n, path, "connect_ports")) {
            JsonNode arr = n.get("connect_ports");
            requireArray(arr, path + ".connect_ports");
            TreeSet<Integer> out = new TreeSet<>();
            for (int i = 0; i < arr.size(); i++) {
                out.add((int) integer(arr.get(i), path + ".connect_ports[" + i + "]", 1, 65535));
            }
            ports = List.copyOf(out);
        }

        List<String> ranges = d.allowRanges();
        if (present(n, path, "allow_ranges")) {
            TreeSet<String> out = new TreeSet<>();
            forEachString(n.get("allow_ranges"), path + ".allow_ranges", (s, p) -> {
                Cidr.Result c = Cidr.parse(s);
                if (c.error() != null) {
                    throw new AclFormatException(p, "\"" + s + "\": " + c.error());
                }
                Optional<String> wide = RangeLimit.tooWide(c.cidr());
                if (wide.isPresent()) {
                    throw new AclFormatException(p, "\"" + s + "\": " + wide.get());
                }
                out.add(c.cidr().toString());
            });
            ranges = List.copyOf(out);
        }

        String dlp = d.dlp();
        if (present(n, path, "dlp")) {
            String s = string(n.get("dlp"), path + ".dlp");
            try {
                dlp = DlpMode.fromJson(s).jsonName();
            } catch (IllegalArgumentException e) {
                throw new AclFormatException(path + ".dlp", e.getMessage());
            }
        }

        Optional<AgentAcl.Rate> rate = Optional.empty();
        JsonNode rateNode = n.get("rate");
        if (rateNode != null && !rateNode.isNull()) {
            String rp = path + ".rate";
            requireObject(rateNode, rp);
            rejectUnknown(rateNode, rp, Set.of("per_second", "burst"));
            JsonNode ps = rateNode.get("per_second");
            if (ps == null || ps.isNull()) {
                throw new AclFormatException(rp + ".per_second", "required");
            }
            if (!ps.isNumber() || !(ps.doubleValue() > 0) || Double.isInfinite(ps.doubleValue())) {
                throw new AclFormatException(rp + ".per_second", "must be a positive number");
            }
            double perSecond = ps.doubleValue();
            long burst = Math.max(1, (long) Math.ceil(perSecond));
            if (present(rateNode, rp, "burst")) {
                burst = integer(rateNode.get("burst"), rp + ".burst", 1, 1_000_000_000L);
            }
            rate = Optional.of(new AgentAcl.Rate(perSecond, burst));
        }

        long maxReq = d.maxRequestBytes();
        if (present(n, path, "max_request_bytes")) {
            maxReq = integer(n.get("max_request_bytes"), path + ".max_request_bytes", 1, Long.MAX_VALUE);
        }
        long maxResp = d.maxResponseBytes();
        if (present(n, path, "max_response_bytes")) {
            maxResp = integer(n.get("max_response_bytes"), path + ".max_response_bytes", 1, Long.MAX_VALUE);
        }
        int maxConnections = d.maxConnections();
        if (present(n, path, "max_connections")) {
            if (step.isPresent()) {
                throw new AclFormatException(path + ".max_connections",
                        "the connection cap is per agent (its listener), not per step; set it in the agent ACL");
            }
            maxConnections = (int) integer(n.get("max_connections"), path + ".max_connections", 1,
                    AgentAcl.MAX_MAX_CONNECTIONS);
        }
        return AgentAcl.builder(agentId).step(step).listen(listen).allowDomains(domains).allowMethods(methods)
                .connectPorts(ports).allowRanges(ranges).dlp(dlp).rate(rate).maxRequestBytes(maxReq)
                .maxResponseBytes(maxResp).maxConnections(maxConnections).build();
    }

    /** Validates and normalizes {@code example.com} or {@code *.example.com}. */
    static String domainPattern(String s, String path) {
        boolean wildcard = s.startsWith("*.");
        String host = wildcard ? s.substring(2) : s;
        if (host.indexOf('*') >= 0) {
            throw new AclFormatException(path, "\"" + s + "\": a wildcard is only allowed as a leading \"*.\"");
        }
        return switch (HostNormalizer.normalize(host)) {
            case NormalizedHost.Name n -> {
                if (n.ascii().indexOf('.') < 0 && wildcard) {
                    throw new AclFormatException(path, "\"" + s + "\": a wildcard over a top-level domain is too broad");
                }
                yield wildcard ? "*." + n.ascii() : n.ascii();
            }
            case NormalizedHost.Literal l -> throw new AclFormatException(path,
                    "\"" + s + "\" is an IP literal; only host names can be allowed (allow_ranges widens where a name may resolve)");
            case NormalizedHost.Invalid i -> throw new AclFormatException(path, "\"" + s + "\": " + i.reason());
        };
    }

    /**
     * Validates a listener address given outside a document (the CLI's {@code --listen}); errors carry
     * {@code where} as their path.
     */
    public static String validateListen(String value, String where) {
        return listen(value, where);
    }

    /** {@code host:port}, host a loopback literal or {@code localhost}; port 0 means "pick one". */
    static String listen(String s, String path) {
        int colon = s.lastIndexOf(':');
        if (colon <= 0) {
            throw new AclFormatException(path, "\"" + s + "\" must be HOST:PORT");
        }
        String host = s.substring(0, colon);
        String port = s.substring(colon + 1);
        if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(c -> c >= '0' && c <= '9')
                || Integer.parseInt(port) > 65535) {
            throw new AclFormatException(path, "\"" + port + "\" is not a port number 0..65535");
        }
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        boolean loopback = bare.equals("localhost")
                || IpAddress.parseStrict(bare).map(ip -> ip.toInetAddress().isLoopbackAddress()).orElse(false);
        if (!loopback) {
            throw new AclFormatException(path, "\"" + host + "\" must be a loopback address (the listener is host-only)");
        }
        if (bare.indexOf(':') >= 0 && !host.startsWith("[")) {
            throw new AclFormatException(path, "write an IPv6 listen address in brackets: [" + bare + "]:" + port);
        }
        return host + ":" + Integer.parseInt(port);
    }

    /**
     * Validates and normalizes an ACL built in code (lowercase punycode domains, uppercase methods, canonical
     * CIDRs, sorted lists), exactly as if it had been read from JSON; errors carry the JSON path.
     */
    public static AgentAcl normalize(AgentAcl acl) {
        return parseAgent(toJson(acl));
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
        ArrayNode d = o.putArray("allow_domains");
        acl.allowDomains().forEach(d::add);
        ArrayNode m = o.putArray("allow_methods");
        acl.allowMethods().forEach(m::add);
        ArrayNode p = o.putArray("connect_ports");
        acl.connectPorts().forEach(p::add);
        ArrayNode r = o.putArray("allow_ranges");
        acl.allowRanges().forEach(r::add);
        o.put("dlp", acl.dlp());
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
        return o;
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

    private static long integer(JsonNode n, String path, long min, long max) {
        if (!n.isIntegralNumber() || !n.canConvertToLong()) {
            throw new AclFormatException(path, "must be an integer, not " + kind(n));
        }
        long v = n.longValue();
        if (v < min || v > max) {
            throw new AclFormatException(path, v + " is out of range " + min + ".." + max);
        }
        return v;
    }

    private interface StringVisitor {
        void accept(String value, String path);
    }

    private static void forEachString(JsonNode arr, String path, StringVisitor v) {
        requireArray(arr, path);
        for (int i = 0; i < arr.size(); i++) {
            String p = path + "[" + i + "]";
            v.accept(string(arr.get(i), p), p);
        }
    }

    private static String kind(JsonNode n) {
        return n.getNodeType().name().toLowerCase(Locale.ROOT);
    }

    private static String key(String name) {
        return SIMPLE_KEY.matcher(name).matches() ? "." + name : "[\"" + name.replace("\"", "\\\"") + "\"]";
    }
}
