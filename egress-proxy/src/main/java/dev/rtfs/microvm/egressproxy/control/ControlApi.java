package dev.rtfs.microvm.egressproxy.control;

import dev.rtfs.microvm.egressproxy.EgressProxy;
import dev.rtfs.microvm.egressproxy.ListenerUnavailableException;
import dev.rtfs.microvm.egresspolicy.acl.AclCodec;
import dev.rtfs.microvm.egresspolicy.acl.AclFormatException;
import dev.rtfs.microvm.egresspolicy.acl.AgentAcl;
import dev.rtfs.microvm.egresspolicy.acl.EnforcementMode;
import dev.rtfs.microvm.egresspolicy.decision.PolicyStore;
import dev.rtfs.microvm.egressproxy.observe.DecisionRecord;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Control API routes, transport-free (the Unix socket server and tests call {@link #handle}):
 * <ul>
 *   <li>{@code GET /health} — status, agents, active tunnels, mode</li>
 *   <li>{@code PUT /agents/{id}} body: AgentAcl JSON — put/replace; answers the listener address</li>
 *   <li>{@code GET /agents/{id}} — the agent ACL, its phase and step ACL, its open client connections</li>
 *   <li>{@code DELETE /agents/{id}} — remove the agent and close its listener</li>
 *   <li>{@code PUT /agents/{id}/step} body: step ACL JSON with "step" — set the current step</li>
 *   <li>{@code DELETE /agents/{id}/step} — clear the step: deny-all until the next one</li>
 *   <li>{@code DELETE /agents/{id}/plan} — leave the plan: the agent ACL alone applies</li>
 *   <li>{@code GET /decisions?limit=N} — the last N decision records (default 100)</li>
 *   <li>{@code PUT /mode} body {@code {"mode":"enforce"|"report"}}</li>
 *   <li>{@code GET /ca} — {@code {"ca_pem": "..."}}: the interception CA's certificate (never its key)</li>
 * </ul>
 * Errors answer {@code {"error": "..."}} with 400 (bad document), 404 (unknown agent or route), 405, or 409 (the
 * listen address of a PUT is taken; the agent keeps its previous listener and rules).
 */
public final class ControlApi {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern AGENT = Pattern.compile("^/agents/([A-Za-z0-9][A-Za-z0-9._-]{0,63})(/step|/plan)?$");

    /** A status and a JSON body. */
    public record Response(int status, String json) {
        static Response error(int status, String message) {
            ObjectNode o = JSON.createObjectNode();
            o.put("error", message);
            return new Response(status, JSON.writeValueAsString(o));
        }

        static Response ok(ObjectNode body) {
            return new Response(200, JSON.writeValueAsString(body));
        }
    }

    private final EgressProxy proxy;

    public ControlApi(EgressProxy proxy) {
        this.proxy = proxy;
    }

    public Response handle(String method, String uri, String body) {
        try {
            String path = uri;
            String query = "";
            int q = uri.indexOf('?');
            if (q >= 0) {
                path = uri.substring(0, q);
                query = uri.substring(q + 1);
            }
            if (path.equals("/health")) {
                return method.equals("GET") ? health() : Response.error(405, "use GET");
            }
            if (path.equals("/decisions")) {
                return method.equals("GET") ? decisions(query) : Response.error(405, "use GET");
            }
            if (path.equals("/ca")) {
                if (!method.equals("GET")) {
                    return Response.error(405, "use GET");
                }
                ObjectNode ca = JSON.createObjectNode();
                ca.put("ca_pem", proxy.interceptionCaPem());
                return Response.ok(ca);
            }
            if (path.equals("/mode")) {
                return method.equals("PUT") ? mode(body) : Response.error(405, "use PUT");
            }
            Matcher m = AGENT.matcher(path);
            if (!m.matches()) {
                return Response.error(404, "no route " + path);
            }
            String id = m.group(1);
            String sub = m.group(2);
            if (sub == null) {
                return switch (method) {
                    case "PUT" -> putAgent(id, body);
                    case "GET" -> getAgent(id);
                    case "DELETE" -> proxy.removeAgent(id) ? okMessage("removed " + id)
                            : Response.error(404, "unknown agent \"" + id + "\"");
                    default -> Response.error(405, "use PUT, GET or DELETE");
                };
            }
            if (proxy.agentState(id).isEmpty()) {
                return Response.error(404, "unknown agent \"" + id + "\"");
            }
            if (sub.equals("/step")) {
                return switch (method) {
                    case "PUT" -> {
                        AgentAcl step = AclCodec.parseAgent(body, id);
                        if (step.step().isEmpty()) {
                            yield Response.error(400, "$.step: required for a step ACL");
                        }
                        proxy.setStep(id, step);
                        yield okMessage("step " + step.step().get() + " set for " + id);
                    }
                    case "DELETE" -> {
                        proxy.clearStep(id);
                        yield okMessage("step cleared for " + id + ": deny-all until the next step");
                    }
                    default -> Response.error(405, "use PUT or DELETE");
                };
            }
            if (method.equals("DELETE")) {
                proxy.endPlan(id);
                return okMessage("plan ended for " + id);
            }
            return Response.error(405, "use DELETE");
        } catch (AclFormatException e) {
            return Response.error(400, e.getMessage());
        } catch (ListenerUnavailableException e) {
            return Response.error(409, e.getMessage()); // the agent's previous listener and rules stay in force
        } catch (IllegalArgumentException | IllegalStateException e) {
            return Response.error(400, e.getMessage());
        }
    }

    private Response putAgent(String id, String body) {
        AgentAcl acl = AclCodec.parseAgent(body, id);
        InetSocketAddress bound = proxy.putAgent(acl);
        ObjectNode o = JSON.createObjectNode();
        o.put("agent_id", id);
        o.put("listen", bound.getAddress().getHostAddress() + ":" + bound.getPort());
        return Response.ok(o);
    }

    private Response getAgent(String id) {
        Optional<PolicyStore.AgentState> s = proxy.agentState(id);
        if (s.isEmpty()) {
            return Response.error(404, "unknown agent \"" + id + "\"");
        }
        ObjectNode o = JSON.createObjectNode();
        o.set("acl", JSON.readTree(AclCodec.toJson(s.get().agent().acl())));
        o.put("phase", s.get().phase().name().toLowerCase(java.util.Locale.ROOT));
        s.get().step().ifPresent(step -> o.set("step_acl", JSON.readTree(AclCodec.toJson(step.acl()))));
        proxy.listenAddress(id).ifPresent(a -> o.put("listen", a.getAddress().getHostAddress() + ":" + a.getPort()));
        // What `proxy switch` waits on before it removes an agent: its clients' connections still open.
        o.put("active_connections", proxy.openConnections(id).orElse(0));
        return Response.ok(o);
    }

    private Response health() {
        ObjectNode o = JSON.createObjectNode();
        o.put("status", "ok");
        o.put("mode", proxy.mode().jsonName());
        o.put("active_tunnels", proxy.activeTunnels());
        ArrayNode agents = o.putArray("agents");
        proxy.agents().forEach(agents::add);
        return Response.ok(o);
    }

    private Response decisions(String query) {
        int limit = 100;
        for (String kv : query.split("&")) {
            if (kv.startsWith("limit=")) {
                try {
                    limit = Math.max(1, Math.min(10_000, Integer.parseInt(kv.substring(6))));
                } catch (NumberFormatException e) {
                    return Response.error(400, "limit must be a number");
                }
            }
        }
        ObjectNode o = JSON.createObjectNode();
        ArrayNode arr = o.putArray("decisions");
        for (DecisionRecord r : proxy.decisions(limit)) {
            arr.add(toJson(r));
        }
        return Response.ok(o);
    }

    private Response mode(String body) {
        tools.jackson.databind.JsonNode node;
        try {
            node = JSON.readTree(body);
        } catch (tools.jackson.core.JacksonException e) {
            return Response.error(400, "invalid JSON: " + e.getOriginalMessage());
        }
        String m = node.path("mode").asString("");
        switch (m) {
            case "enforce" -> proxy.setMode(EnforcementMode.ENFORCE);
            case "report" -> proxy.setMode(EnforcementMode.REPORT);
            default -> {
                return Response.error(400, "$.mode: must be \"enforce\" or \"report\"");
            }
        }
        return okMessage("mode " + m);
    }

    /** The JSON form of a decision record (also what the causal chain may store). */
    public static ObjectNode toJson(DecisionRecord r) {
        ObjectNode d = JSON.createObjectNode();
        d.put("ts", r.at().toString());
        d.put("agent_id", r.agentId());
        d.put("step", r.step().orElse(null));
        d.put("method", r.method());
        d.put("host", r.host());
        d.put("port", r.port());
        d.put("address", r.address().orElse(null));
        d.put("decision", r.outcome());
        d.put("reason", r.reason());
        d.put("status", r.status());
        d.put("detail", r.detail());
        d.put("bytes_in", r.bytesIn());
        d.put("bytes_out", r.bytesOut());
        d.put("duration_ms", r.durationMillis());
        return d;
    }

    private static Response okMessage(String message) {
        ObjectNode o = JSON.createObjectNode();
        o.put("ok", true);
        o.put("message", message);
        return Response.ok(o);
    }

}
