package dev.rtfs.microvm.cli;

import static dev.rtfs.microvm.cli.CliRun.run;
import static dev.rtfs.microvm.cli.ManifestTree.containerPort;
import static dev.rtfs.microvm.cli.ManifestTree.env;
import static dev.rtfs.microvm.cli.ManifestTree.map;
import static dev.rtfs.microvm.cli.ManifestTree.mountPathOf;
import static dev.rtfs.microvm.cli.ManifestTree.named;
import static dev.rtfs.microvm.cli.ManifestTree.ofKind;
import static dev.rtfs.microvm.cli.ManifestTree.only;
import static dev.rtfs.microvm.cli.ManifestTree.onlyContainer;
import static dev.rtfs.microvm.cli.ManifestTree.option;
import static dev.rtfs.microvm.cli.ManifestTree.port;
import static dev.rtfs.microvm.cli.ManifestTree.selects;
import static dev.rtfs.microvm.cli.ManifestTree.strings;
import static dev.rtfs.microvm.cli.ManifestTree.volumeAt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The two halves of the Kubernetes target fit: what {@code synth --target kubernetes} emits for two agents and what
 * {@code synth --target kubernetes-proxy} emits for both, read back as YAML, agree on ports, labels, ConfigMap names,
 * paths and the token audience; and the proxy started with the DaemonSet's own args (only mount paths and listen
 * addresses rewritten) over its volumes laid out as the kubelet would, serves each agent by the projected token its
 * Pod is configured for, within that agent's ACL only, and follows its ConfigMaps when the kubelet swaps in new
 * content. Loopback only (the proxy's {@code resolve} seam maps every domain to 127.0.0.1), real sockets, real curl.
 */
class KubernetesProxyContractTest {

    private static final Path EXAMPLE = SynthCommandTest.EXAMPLE;
    private static final Path CURL = Path.of("/usr/bin/curl");
    private static final String IMAGE = "registry.example/rtfs/agent@sha256:" + "cd".repeat(32);
    /** Not the defaults: a namespace that flows to one side only would show. */
    private static final String AGENTS_NS = "agents";
    private static final String PROXY_NS = "egress";
    /** The docs example (intercepting TLS) allows this domain; the second agent (tunnelling) the other. */
    private static final String DOMAIN_A = "example.com";
    private static final String DOMAIN_B = "other.example.org";
    /** A domain neither allows at first. */
    private static final String DOMAIN_C = "third.example.net";
    private static final String LOOPBACK_FILE = "zz-test-loopback.json";
    /** The audience of a pod's default (automounted) token: the API server's, never the proxy's. */
    private static final String API_SERVER_AUDIENCE = "https://kubernetes.default.svc.cluster.local";
    private static final Pattern STATUS = Pattern.compile("^HTTP/1\\.[01] (\\d{3})", Pattern.MULTILINE);
    private static final JsonMapper JSON = JsonMapper.shared();

    @TempDir Path dir;

    /** The emitted objects: each agent's {@code synth --target kubernetes}, and {@code --target kubernetes-proxy}. */
    private record Deployment(List<JsonNode> agentA, List<JsonNode> agentB, List<JsonNode> proxy) {

        List<List<JsonNode>> agents() {
            return List.of(agentA, agentB);
        }

        JsonNode daemonSet() {
            return only(proxy, "DaemonSet");
        }

        JsonNode proxyPod() {
            return daemonSet().path("spec").path("template").path("spec");
        }

        JsonNode proxyContainer() {
            JsonNode containers = proxyPod().path("containers");
            assertThat(containers.size()).as("the proxy pod's containers").isEqualTo(1);
            return containers.get(0);
        }

        List<String> args() {
            return strings(proxyContainer().path("args"));
        }

        String proxyNamespace() {
            return daemonSet().path("metadata").path("namespace").asString();
        }
    }

    /** An agent pod's view of the proxy: its env's proxy URL and the token its projected volume would hold. */
    private record AgentPod(String namespace, String serviceAccount, String audience, long expirationSeconds,
                            URI proxyUrl) {

        String subject() {
            return "system:serviceaccount:" + namespace + ":" + serviceAccount;
        }
    }

    private record Curl(int exit, String out) {
        int status() {
            Matcher m = STATUS.matcher(out);
            int last = -1;
            while (m.find()) last = Integer.parseInt(m.group(1));
            return last;
        }
    }

    @Test
    void theProxyAndTheAgentManifestsAgreeOnPortLabelsConfigMapsJwksAndAudience() throws IOException {
        Deployment d = synthesize();
        List<String> args = d.args();
        JsonNode proxyPod = d.proxyPod();
        JsonNode proxy = d.proxyContainer();
        Map<String, String> proxyPodLabels = map(d.daemonSet().path("spec").path("template").path("metadata").path("labels"));
        selects(map(d.daemonSet().path("spec").path("selector").path("matchLabels")), proxyPodLabels);

        int listenPort = port(option(args, "--listen"));
        JsonNode service = only(d.proxy(), "Service");
        JsonNode servicePort = named(service.path("spec").path("ports"), "proxy");
        assertThat(servicePort.path("port").asInt()).as("the Service's proxy port").isEqualTo(listenPort);
        assertThat(containerPort(proxy, servicePort.path("targetPort"))).as("the Service's targetPort").isEqualTo(listenPort);
        assertThat(service.path("spec").path("internalTrafficPolicy").asString()).isEqualTo("Local");
        selects(map(service.path("spec").path("selector")), proxyPodLabels);
        assertThat(service.path("metadata").path("namespace").asString()).isEqualTo(d.proxyNamespace());
        String serviceHost = service.path("metadata").path("name").asString() + "." + d.proxyNamespace()
                + ".svc.cluster.local";

        JsonNode proxyPolicy = only(d.proxy(), "NetworkPolicy");
        selects(map(proxyPolicy.path("spec").path("podSelector").path("matchLabels")), proxyPodLabels);
        List<JsonNode> intoTheListener = new ArrayList<>();
        proxyPolicy.path("spec").path("ingress").forEach(rule -> rule.path("ports").forEach(p -> {
            if (p.path("port").asInt() == listenPort) intoTheListener.add(rule);
        }));
        assertThat(intoTheListener).as("the proxy's ingress rules for its listener").hasSize(1);

        for (List<JsonNode> agent : d.agents()) {
            JsonNode pod = only(agent, "Pod");
            Map<String, String> podLabels = map(pod.path("metadata").path("labels"));
            AgentPod seen = agentPod(pod);
            URI httpProxy = URI.create(env(onlyContainer(pod), "HTTP_PROXY"));
            assertThat(httpProxy).as("HTTP_PROXY = HTTPS_PROXY").isEqualTo(seen.proxyUrl());
            assertThat(seen.proxyUrl().getHost()).as("the agent's proxy host is the Service").isEqualTo(serviceHost);
            assertThat(seen.proxyUrl().getPort()).as("the agent's proxy port").isEqualTo(servicePort.path("port").asInt());
            assertThat(seen.audience()).as("the projected token's audience").isEqualTo(option(args, "--token-audience"));
            assertThat(env(onlyContainer(pod), "NO_PROXY")).isEmpty();

            // The agent's NetworkPolicy: besides DNS, exactly one rule, exactly TCP to the listener, exactly the
            // proxy pods in the proxy's namespace.
            JsonNode policy = only(agent, "NetworkPolicy");
            selects(map(policy.path("spec").path("podSelector").path("matchLabels")), podLabels);
            assertThat(strings(policy.path("spec").path("policyTypes"))).contains("Egress");
            List<JsonNode> notDns = new ArrayList<>();
            for (JsonNode rule : policy.path("spec").path("egress")) {
                boolean dns = !rule.path("ports").isEmpty();
                for (JsonNode p : rule.path("ports")) dns &= p.path("port").asInt() == 53;
                if (!dns) notDns.add(rule);
            }
            assertThat(notDns).as("the agent's egress rules other than DNS").hasSize(1);
            JsonNode toProxy = notDns.getFirst();
            assertThat(toProxy.path("ports").size()).isEqualTo(1);
            assertThat(toProxy.path("ports").get(0).path("protocol").asString()).isEqualTo("TCP");
            assertThat(toProxy.path("ports").get(0).path("port").asInt()).isEqualTo(listenPort);
            assertThat(toProxy.path("to").size()).isEqualTo(1);
            JsonNode peer = toProxy.path("to").get(0);
            assertThat(peer.has("ipBlock")).isFalse();
            assertThat(map(peer.path("namespaceSelector").path("matchLabels")))
                    .isEqualTo(Map.of("kubernetes.io/metadata.name", d.proxyNamespace()));
            selects(map(peer.path("podSelector").path("matchLabels")), proxyPodLabels);

            // And the proxy's NetworkPolicy lets this pod in on the listener.
            List<JsonNode> from = new ArrayList<>();
            intoTheListener.getFirst().path("from").forEach(from::add);
            assertThat(from).anySatisfy(f -> selects(map(f.path("podSelector").path("matchLabels")), podLabels));
        }

        // The ACL ConfigMaps the DaemonSet mounts at --acl-dir are exactly the ones the agents' synth emits, key by key.
        JsonNode aclVolume = volumeAt(proxyPod, proxy, option(args, "--acl-dir"));
        Set<String> mounted = new TreeSet<>();
        for (JsonNode source : aclVolume.path("projected").path("sources")) {
            JsonNode cm = source.path("configMap");
            assertThat(cm.isObject()).as("a projected source of the ACL volume: " + source).isTrue();
            for (JsonNode item : cm.path("items")) {
                assertThat(item.path("path").asString()).isEqualTo(item.path("key").asString()).endsWith(".json");
                mounted.add(cm.path("name").asString() + "/" + item.path("key").asString());
            }
        }
        Set<String> emitted = new TreeSet<>();
        for (List<JsonNode> agent : d.agents()) {
            for (JsonNode cm : ofKind(agent, "ConfigMap")) {
                if (!cm.path("metadata").path("namespace").asString().equals(d.proxyNamespace())) continue;
                for (String key : cm.path("data").propertyNames()) emitted.add(cm.path("metadata").path("name").asString() + "/" + key);
            }
        }
        assertThat(emitted).hasSize(2);
        assertThat(mounted).isEqualTo(emitted);

        // --token-jwks names the jwks.json key of the ConfigMap the operator fills, where the DaemonSet mounts it.
        String jwks = option(args, "--token-jwks");
        assertThat(mountPathOf(proxy, jwks)).isEqualTo(Path.of(jwks).getParent().toString());
        assertThat(Path.of(jwks).getFileName().toString()).isEqualTo("jwks.json");
        assertThat(volumeAt(proxyPod, proxy, jwks).path("configMap").path("name").asString()).isEqualTo("rtfs-egress-jwks");

        // The docs example intercepts: the CA Secret's two keys, where the DaemonSet mounts it.
        for (String[] file : new String[][] {{"--ca-cert", "tls.crt"}, {"--ca-key", "tls.key"}}) {
            String path = option(args, file[0]);
            assertThat(Path.of(path).getFileName().toString()).isEqualTo(file[1]);
            assertThat(mountPathOf(proxy, path)).isEqualTo(Path.of(path).getParent().toString());
            assertThat(volumeAt(proxyPod, proxy, path).path("secret").path("secretName").asString()).isEqualTo("rtfs-egress-ca");
        }
    }

    @Test
    void theSynthesizedProxyServesEachAgentPodByItsProjectedTokenWithinItsOwnAcl() throws Exception {
        ProxyCommandTest.requireThat(Files.isExecutable(CURL), "curl is not installed");
        Deployment d = synthesize();
        Cluster cluster = cluster(d);
        try (Origin origin = Origin.start(); RunningProxy running = start(d, cluster)) {
            AgentPod a = agentPod(only(d.agentA(), "Pod"));
            AgentPod b = agentPod(only(d.agentB(), "Pod"));
            String tokenA = ClusterSide.token(cluster.rsa(), a.subject(), a.audience(), a.expirationSeconds());
            String tokenB = ClusterSide.token(cluster.ec(), b.subject(), b.audience(), b.expirationSeconds());
            URI proxyA = running.local(a.proxyUrl());
            URI proxyB = running.local(b.proxyUrl());
            String urlA = origin.url(DOMAIN_A);
            String urlB = origin.url(DOMAIN_B);

            // (a) each agent reaches what its own config allows; the token goes no further than the proxy
            Curl okA = curl(proxyA, Optional.of(tokenA), urlA);
            assertThat(okA.status()).as(okA.out()).isEqualTo(200);
            assertThat(okA.out()).contains("origin reached");
            Curl okB = curl(proxyB, Optional.of(tokenB), urlB);
            assertThat(okB.status()).as(okB.out()).isEqualTo(200);
            assertThat(origin.saw()).containsExactly(origin.host(DOMAIN_A) + " proxy-authorization=false",
                    origin.host(DOMAIN_B) + " proxy-authorization=false");

            // (b) not what only the other agent allows, plain HTTP or tunnel
            Curl crossA = curl(proxyA, Optional.of(tokenA), urlB);
            assertThat(crossA.status()).as(crossA.out()).isEqualTo(403);
            Curl crossB = curl(proxyB, Optional.of(tokenB), urlA);
            assertThat(crossB.status()).as(crossB.out()).isEqualTo(403);
            Curl crossTunnel = curl(proxyB, Optional.of(tokenB), "https://" + DOMAIN_A + "/", "-w",
                    "\nconnect=%{http_connect}\n");
            assertThat(crossTunnel.out()).contains("connect=403");

            // (c) no token, (d) the pod's identity for another audience (the API server's): 407, nothing dialled
            Curl none = curl(proxyA, Optional.empty(), urlA);
            assertThat(none.status()).as(none.out()).isEqualTo(407);
            assertThat(none.out()).containsIgnoringCase("Proxy-Authenticate: Bearer realm=\"rtfs-egress-proxy\"");
            String forTheApiServer = ClusterSide.token(cluster.rsa(), a.subject(), API_SERVER_AUDIENCE, a.expirationSeconds());
            Curl wrongAudience = curl(proxyA, Optional.of(forTheApiServer), urlA);
            assertThat(wrongAudience.status()).as(wrongAudience.out()).isEqualTo(407);
            assertThat(wrongAudience.out()).doesNotContain(forTheApiServer);
            assertThat(origin.saw()).hasSize(2);

            // The docs example intercepts with the CA of the Secret: curl trusting only that CA completes its
            // handshake with the proxy (whose dial of the origin, 127.0.0.1:443 by the loopback mapping, then fails).
            Curl intercepted = curl(proxyA, Optional.of(tokenA), "https://" + DOMAIN_A + "/", "--cacert",
                    cluster.caCert().toString(), "-w", "\nverify=%{ssl_verify_result} connect=%{http_connect}\n");
            assertThat(intercepted.out()).contains("verify=0 connect=200");
            assertThat(intercepted.exit()).as(intercepted.out()).isNotEqualTo(60);
        }
    }

    @Test
    void configMapUpdatesSwappedInAsTheKubeletDoesReachTheRunningProxy() throws Exception {
        ProxyCommandTest.requireThat(Files.isExecutable(CURL), "curl is not installed");
        Deployment d = synthesize();
        Cluster cluster = cluster(d);
        try (Origin origin = Origin.start(); RunningProxy running = start(d, cluster)) {
            AgentPod a = agentPod(only(d.agentA(), "Pod"));
            AgentPod b = agentPod(only(d.agentB(), "Pod"));
            URI proxyB = running.local(b.proxyUrl());
            String tokenB = ClusterSide.token(cluster.ec(), b.subject(), b.audience(), b.expirationSeconds());
            assertThat(curl(proxyB, Optional.of(tokenB), origin.url(DOMAIN_C)).status()).isEqualTo(403);

            // Agent B's config now allows another domain: its ACL ConfigMap (the same name) changes on the cluster.
            List<JsonNode> changed = synth(writeOther(DOMAIN_C).toString(), "--target", "kubernetes", "--namespace",
                    AGENTS_NS, "--proxy-namespace", PROXY_NS);
            Map<String, Map<String, byte[]>> configMaps = new LinkedHashMap<>(cluster.configMaps());
            Map<String, Map<String, byte[]>> update = configMapData(changed, d.proxyNamespace());
            assertThat(configMaps).containsKeys(update.keySet().toArray(String[]::new));
            configMaps.putAll(update);
            JsonNode aclVolume = volumeAt(d.proxyPod(), d.proxyContainer(), option(d.args(), "--acl-dir"));
            KubeletVolume.update(kubelet(aclVolume),
                    withLoopbackResolve(volumeFiles(aclVolume, d.proxyNamespace(), configMaps, Map.of())));
            awaitStatus(proxyB, tokenB, origin.url(DOMAIN_C), 200);
            assertThat(curl(proxyB, Optional.of(tokenB), origin.url(DOMAIN_B)).status()).isEqualTo(403);

            // The cluster rotates its signing key: the operator refreshes the JWKS ConfigMap.
            ECKey next = new ECKeyGenerator(Curve.P_256).keyID("ec-2").generate();
            String oldKeyToken = ClusterSide.token(cluster.rsa(), a.subject(), a.audience(), a.expirationSeconds());
            URI proxyA = running.local(a.proxyUrl());
            assertThat(curl(proxyA, Optional.of(oldKeyToken), origin.url(DOMAIN_A)).status()).isEqualTo(200);
            JsonNode jwksVolume = volumeAt(d.proxyPod(), d.proxyContainer(), option(d.args(), "--token-jwks"));
            KubeletVolume.update(kubelet(jwksVolume), Map.of("jwks.json",
                    new JWKSet(next.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8)));
            awaitStatus(proxyA, oldKeyToken, origin.url(DOMAIN_A), 407);
            String newKeyToken = ClusterSide.token(next, a.subject(), a.audience(), a.expirationSeconds());
            assertThat(curl(proxyA, Optional.of(newKeyToken), origin.url(DOMAIN_A)).status()).isEqualTo(200);
        }
    }

    // ---- synthesis and reading the YAML back

    private Deployment synthesize() throws IOException {
        Path other = writeOther(DOMAIN_B);
        List<JsonNode> a = synth(EXAMPLE.toString(), "--target", "kubernetes", "--namespace", AGENTS_NS,
                "--proxy-namespace", PROXY_NS);
        List<JsonNode> b = synth(other.toString(), "--target", "kubernetes", "--namespace", AGENTS_NS,
                "--proxy-namespace", PROXY_NS);
        List<JsonNode> p = synth(EXAMPLE.toString(), other.toString(), "--target", "kubernetes-proxy",
                "--proxy-namespace", PROXY_NS);
        return new Deployment(a, b, p);
    }

    /** The second agent: the docs example with another id, tunnelling TLS (no pins), allowing {@code domain}. */
    private Path writeOther(String domain) throws IOException {
        String example = Files.readString(EXAMPLE);
        return Files.writeString(dir.resolve("agent.config.other.rtfs"),
                replaced(replaced(replaced(replaced(example, "\"agent.microvm.example\"", "\"agent.k8s.other\""),
                        "[\"" + DOMAIN_A + "\"]", "[\"" + domain + "\"]"), ":tls :intercept", ":tls :tunnel"),
                        ":tls_pins [\"sha256/...\"]", ""));
    }

    private static String replaced(String text, String from, String to) {
        assertThat(text).contains(from);
        return text.replace(from, to);
    }

    private static List<JsonNode> synth(String... args) {
        List<String> all = new ArrayList<>(List.of("synth"));
        all.addAll(List.of(args));
        all.addAll(List.of("--image-ref", IMAGE));
        CliRun r = run(all.toArray(String[]::new));
        assertThat(r.exit()).as(r.err()).isZero();
        List<JsonNode> docs = ManifestTree.documents(r.out());
        assertThat(docs).isNotEmpty();
        return docs;
    }

    /** What an agent pod is configured with: namespace, ServiceAccount, its projected token's source, its proxy. */
    private static AgentPod agentPod(JsonNode pod) {
        JsonNode spec = pod.path("spec");
        JsonNode container = onlyContainer(pod);
        String tokenFile = env(container, "RTFS_EGRESS_TOKEN_FILE");
        JsonNode volume = volumeAt(spec, container, tokenFile);
        String inVolume = tokenFile.substring(mountPathOf(container, tokenFile).length() + 1);
        JsonNode source = null;
        for (JsonNode s : volume.path("projected").path("sources")) {
            if (s.path("serviceAccountToken").path("path").asString().equals(inVolume)) source = s.path("serviceAccountToken");
        }
        assertThat(source).as("a serviceAccountToken source at " + tokenFile).isNotNull();
        assertThat(spec.path("automountServiceAccountToken").asBoolean(true)).isFalse();
        URI proxy = URI.create(env(container, "HTTPS_PROXY"));
        return new AgentPod(pod.path("metadata").path("namespace").asString(), spec.path("serviceAccountName").asString(),
                source.path("audience").asString(), source.path("expirationSeconds").asLong(), proxy);
    }

    // ---- the proxy pod, here

    /** What the operator and the agents' synth put on the cluster for the proxy: ConfigMaps, Secrets, the keys. */
    private record Cluster(RSAKey rsa, ECKey ec, Path caCert, Map<String, Map<String, byte[]>> configMaps,
                           Map<String, Map<String, byte[]>> secrets) {}

    /**
     * The cluster's side (kubernetes/README.md, operator steps): its token keys, one RSA and one EC (the API server
     * signs with either) in the JWKS ConfigMap, the interception CA as a kubernetes.io/tls Secret, and every
     * ConfigMap the agents' synth emitted.
     */
    private Cluster cluster(Deployment d) throws Exception {
        String ns = d.proxyNamespace();
        RSAKey rsa = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
        ECKey ec = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
        Map<String, Map<String, byte[]>> configMaps = new LinkedHashMap<>();
        configMaps.put(ns + "/rtfs-egress-jwks", Map.of("jwks.json",
                new JWKSet(List.of(rsa.toPublicJWK(), ec.toPublicJWK())).toString().getBytes(StandardCharsets.UTF_8)));
        for (List<JsonNode> agent : d.agents()) configMaps.putAll(configMapData(agent, ns));
        Path caCert = dir.resolve("test-ca.crt");
        return new Cluster(rsa, ec, caCert, configMaps, Map.of(ns + "/rtfs-egress-ca", ClusterSide.testCa(caCert)));
    }

    /** namespace/name → data of each emitted ConfigMap; the ACL documents in the proxy's namespace {@link #loopback}ed. */
    private static Map<String, Map<String, byte[]>> configMapData(List<JsonNode> docs, String proxyNamespace) {
        Map<String, Map<String, byte[]>> out = new LinkedHashMap<>();
        for (JsonNode cm : ofKind(docs, "ConfigMap")) {
            String ns = cm.path("metadata").path("namespace").asString();
            Map<String, byte[]> data = new LinkedHashMap<>();
            cm.path("data").forEachEntry((k, v) -> data.put(k, (ns.equals(proxyNamespace) && k.endsWith(".json")
                    ? loopback(v.asString()) : v.asString()).getBytes(StandardCharsets.UTF_8)));
            out.put(ns + "/" + cm.path("metadata").path("name").asString(), data);
        }
        return out;
    }

    /** Where this test lays out a volume of the proxy pod. */
    private Path kubelet(JsonNode volume) {
        return dir.resolve("kubelet").resolve(volume.path("name").asString());
    }

    /** The files the kubelet puts in {@code volume}: from the ConfigMaps and Secrets it names, in {@code ns}. */
    private static Map<String, byte[]> volumeFiles(JsonNode volume, String ns, Map<String, Map<String, byte[]>> configMaps,
                                                   Map<String, Map<String, byte[]>> secrets) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        if (volume.has("projected")) {
            for (JsonNode source : volume.path("projected").path("sources")) {
                assertThat(source.has("configMap")).as("projected source " + source).isTrue();
                files.putAll(select(configMaps, ns, source.path("configMap")));
            }
        } else if (volume.has("configMap")) {
            files.putAll(select(configMaps, ns, volume.path("configMap")));
        } else if (volume.has("secret")) {
            String secret = ns + "/" + volume.path("secret").path("secretName").asString();
            assertThat(secrets).as("the Secret the DaemonSet mounts").containsKey(secret);
            files.putAll(secrets.get(secret));
        } else {
            assertThat(volume.has("emptyDir")).as("volume " + volume).isTrue();
        }
        return files;
    }

    /**
     * The DaemonSet's args as this test runs them: each volume of the container laid out under {@code dir} as the
     * kubelet would, each path inside a mount moved there, and each listener moved to 127.0.0.1 with a port the OS
     * picks: in the pod, 0.0.0.0 is the pod's network; here it would be every interface of the build machine, and the
     * test must stay on loopback (and the contract's fixed ports may be taken by a parallel build). Nothing else
     * changes.
     */
    private List<String> podArgs(Deployment d, Cluster cluster) throws IOException {
        Map<String, Path> mounts = new LinkedHashMap<>();
        for (JsonNode m : d.proxyContainer().path("volumeMounts")) {
            JsonNode volume = named(d.proxyPod().path("volumes"), m.path("name").asString());
            Map<String, byte[]> files = volumeFiles(volume, d.proxyNamespace(), cluster.configMaps(), cluster.secrets());
            if (m.path("mountPath").asString().equals(option(d.args(), "--acl-dir"))) files = withLoopbackResolve(files);
            mounts.put(m.path("mountPath").asString(), KubeletVolume.project(kubelet(volume), files));
        }
        List<String> args = d.args();
        List<String> out = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            String previous = i == 0 ? "" : args.get(i - 1);
            if (previous.equals("--listen") || previous.equals("--metrics-listen")) {
                out.add("127.0.0.1:0");
            } else if (arg.startsWith("/")) {
                String at = mounts.keySet().stream().filter(m -> arg.equals(m) || arg.startsWith(m + "/")).findFirst()
                        .orElseGet(() -> fail(arg + " lies in none of the DaemonSet's mounts " + mounts.keySet()));
                out.add(mounts.get(at) + arg.substring(at.length()));
            } else {
                out.add(arg);
            }
        }
        return out;
    }

    /** The files of a ConfigMap volume or projection: its items, or every key. */
    private static Map<String, byte[]> select(Map<String, Map<String, byte[]>> configMaps, String ns, JsonNode ref) {
        String key = ns + "/" + ref.path("name").asString();
        assertThat(configMaps).as("the ConfigMap the DaemonSet mounts").containsKey(key);
        Map<String, byte[]> data = configMaps.get(key);
        if (!ref.has("items")) return data;
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (JsonNode item : ref.path("items")) {
            assertThat(data).as(key + " has key " + item.path("key").asString()).containsKey(item.path("key").asString());
            out.put(item.path("path").asString(), data.get(item.path("key").asString()));
        }
        return out;
    }

    /**
     * The one edit to an emitted ACL document: the agent may reach 127.0.0.1 ({@code allow_ranges}), where
     * {@link #loopbackResolve} sends every domain of the test, so the proxy dials the test's origin and never a real
     * domain. Everything else (the agent, its service_account, its rules) is as synthesized.
     */
    private static String loopback(String acl) {
        ObjectNode file = (ObjectNode) JSON.readTree(acl);
        assertThat(file.path("agents").size()).as("one agent per ACL ConfigMap").isEqualTo(1);
        for (JsonNode agent : file.path("agents")) {
            assertThat(agent.path("service_account").asString()).as("the agent's service_account").isNotEmpty();
            assertThat(agent.has("listen")).isFalse();
            ((ObjectNode) agent).putArray("allow_ranges").add("127.0.0.1/32");
        }
        return JSON.writeValueAsString(file);
    }

    /**
     * The resolver seam: one more file in the ACL directory, with no agent, whose {@code resolve} maps every domain
     * the test requests to 127.0.0.1 (one file for all: a name may be mapped by one file only). It is there from the
     * start because the proxy reads {@code resolve} when it starts, not on a reload.
     */
    private static Map<String, byte[]> withLoopbackResolve(Map<String, byte[]> aclFiles) {
        ObjectNode file = JSON.createObjectNode();
        file.putObject("agents");
        ObjectNode resolve = file.putObject("resolve");
        for (String domain : List.of(DOMAIN_A, DOMAIN_B, DOMAIN_C)) resolve.putArray(domain).add("127.0.0.1");
        Map<String, byte[]> out = new LinkedHashMap<>(aclFiles);
        assertThat(out).doesNotContainKey(LOOPBACK_FILE);
        out.put(LOOPBACK_FILE, JSON.writeValueAsString(file).getBytes(StandardCharsets.UTF_8));
        return out;
    }

    /** The proxy pod's process, in-process: {@code Main.run} with {@link #podArgs} on a thread, until closed. */
    private final class RunningProxy implements AutoCloseable {
        private final ProxyOutputWatch out = new ProxyOutputWatch();
        private final StringWriter err = new StringWriter();
        private final int[] exit = {-1};
        private final Thread thread;
        /** Contract port (from the DaemonSet's args) → the port bound here. */
        private final Map<Integer, Integer> ports;

        RunningProxy(Deployment d, List<String> args) throws Exception {
            thread = Thread.ofPlatform().start(() -> exit[0] = Main.run(args.toArray(String[]::new),
                    new PrintWriter(out, true), new PrintWriter(err, true)));
            try {
                assertThat(out.running.await(30, TimeUnit.SECONDS)).as(out.snapshot() + err).isTrue();
                String output = out.snapshot();
                Matcher shared = Pattern.compile("shared listener on 127\\.0\\.0\\.1:(\\d+)").matcher(output);
                Matcher metrics = Pattern.compile("/healthz on 127\\.0\\.0\\.1:0 \\(port (\\d+)\\)").matcher(output);
                assertThat(shared.find()).as(output).isTrue();
                assertThat(metrics.find()).as(output).isTrue();
                ports = Map.of(port(option(d.args(), "--listen")), Integer.parseInt(shared.group(1)),
                        port(option(d.args(), "--metrics-listen")), Integer.parseInt(metrics.group(1)));
                assertReady(d);
            } catch (Exception | AssertionError e) {
                stop();
                throw e;
            }
        }

        /** The DaemonSet's readiness probe, at its port here, answers 200 ok. */
        private void assertReady(Deployment d) throws Exception {
            JsonNode probe = d.proxyContainer().path("readinessProbe").path("httpGet");
            int podPort = containerPort(d.proxyContainer(), probe.path("port"));
            assertThat(ports).as("the readiness probe's port is a listener of the args").containsKey(podPort);
            URI uri = URI.create("http://127.0.0.1:" + ports.get(podPort) + probe.path("path").asString());
            HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri)
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
            assertThat(health.body().strip()).isEqualTo("ok");
        }

        /** The pod's proxy URL with the Service's host as loopback and its port as bound here. */
        URI local(URI podProxy) {
            assertThat(ports).as("the pod's proxy port is the proxy's --listen port").containsKey(podProxy.getPort());
            return URI.create(podProxy.getScheme() + "://127.0.0.1:" + ports.get(podProxy.getPort()));
        }

        private void stop() throws InterruptedException {
            thread.interrupt();
            thread.join(10_000);
        }

        @Override
        public void close() throws InterruptedException {
            stop();
            assertThat(exit[0]).as(err.toString()).isZero();
        }
    }

    private RunningProxy start(Deployment d, Cluster cluster) throws Exception {
        return new RunningProxy(d, podArgs(d, cluster));
    }

    /** A loopback origin standing in for every allowed domain; it records the Host and whether a proxy credential came. */
    private record Origin(HttpServer server, List<String> saw) implements AutoCloseable {

        static Origin start() throws IOException {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
            List<String> saw = new CopyOnWriteArrayList<>();
            server.createContext("/", ex -> {
                saw.add(ex.getRequestHeaders().getFirst("Host") + " proxy-authorization="
                        + ex.getRequestHeaders().containsKey("Proxy-Authorization"));
                byte[] b = "origin reached".getBytes(StandardCharsets.UTF_8);
                ex.sendResponseHeaders(200, b.length);
                ex.getResponseBody().write(b);
                ex.close();
            });
            server.start();
            return new Origin(server, saw);
        }

        String host(String domain) {
            return domain + ":" + server.getAddress().getPort();
        }

        String url(String domain) {
            return "http://" + host(domain) + "/";
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    // ---- curl

    /** Polls until a request gives {@code status}: the proxy re-reads its mounted files every 2 s. */
    private static void awaitStatus(URI proxy, String token, String url, int status) throws Exception {
        Instant deadline = Instant.now().plusSeconds(20);
        Curl last;
        do {
            last = curl(proxy, Optional.of(token), url);
            if (last.status() == status) return;
            Thread.sleep(250);
        } while (Instant.now().isBefore(deadline));
        fail("still " + last.status() + " after 20 s, expected " + status + ":\n" + last.out());
    }

    /** curl through {@code proxy} (nothing from the environment), with the token as the agent sends it. */
    private static Curl curl(URI proxy, Optional<String> token, String url, String... more) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(CURL.toString(), "-sS", "-i", "--max-time", "20", "--proxy",
                proxy.toString()));
        token.ifPresent(t -> cmd.addAll(List.of("--proxy-header", "Proxy-Authorization: Bearer " + t)));
        cmd.addAll(List.of(more));
        cmd.add(url);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.toLowerCase(Locale.ROOT).endsWith("_proxy"));
        Process p = pb.start();
        String out = new String(p.getInputStream().readNBytes(64 * 1024), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Curl(p.exitValue(), out);
    }
}
