package dev.rtfs.microvm.bench.proxy;

import dev.rtfs.microvm.egresspolicy.acl.AclCodec;
import dev.rtfs.microvm.egresspolicy.net.StaticOverrideResolver;
import dev.rtfs.microvm.egresspolicy.net.SystemResolver;
import dev.rtfs.microvm.egressproxy.EgressProxy;
import dev.rtfs.microvm.egressproxy.server.ProxyConfig;
import dev.rtfs.microvm.egressproxy.testing.LoopbackOrigin;
import dev.rtfs.microvm.egressproxy.testing.TestCa;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Intercepted HTTPS GETs against our own CONNECT passthrough, same HTTPS origin, one process, loopback only
 * (bench/scripts/proxy-bench.sh, or {@code java InterceptBench.java SECONDS CONNECTIONS}). Each of CONNECTIONS
 * workers holds one keep-alive connection (JDK HttpClient, HTTP/1.1, through the proxy) and sends GETs for SECONDS;
 * prints req/s and p50/p99 per mode and the ratios. Proxy, origin and clients share the JVM and the cores, so the
 * numbers are relative: the ratio is the result.
 */
public final class InterceptBench {

    private InterceptBench() {}

    record Result(double perSecond, double p50Millis, double p99Millis) {}

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int connections = args.length > 1 ? Integer.parseInt(args[1]) : 64;
        TestCa ca = new TestCa();
        try (LoopbackOrigin origin = LoopbackOrigin.https(ca.serverContext("origin.test"));
                EgressProxy proxy = new EgressProxy(ProxyConfig.defaults().withResolver(new StaticOverrideResolver(
                        Map.of("origin.test", List.of(InetAddress.getLoopbackAddress())), new SystemResolver())))) {
            proxy.start();
            java.nio.file.Path caPem = ca.writeCaPem(java.nio.file.Files.createTempDirectory("intercept-bench"));
            String rules = "\"allow_domains\":[\"origin.test\"],\"connect_ports\":[" + origin.port()
                    + "],\"allow_ranges\":[\"127.0.0.0/8\"],\"dlp\":\"strict\",\"max_connections\":4096,"
                    + "\"upstream_ca\":\"" + caPem + "\"";
            int tunnel = proxy.putAgent(AclCodec.parseAgent("{" + rules + "}", "tunnel")).getPort();
            int intercept = proxy.putAgent(AclCodec.parseAgent("{" + rules + ",\"tls\":\"intercept\"}", "intercept"))
                    .getPort();
            URI uri = URI.create("https://origin.test:" + origin.port() + "/hello");
            run(tunnel, ca.clientContext(), uri, 2, connections); // warm-up
            Result t = run(tunnel, ca.clientContext(), uri, seconds, connections);
            SSLContext trustProxy = trusting(proxy.interceptionCaPem());
            run(intercept, trustProxy, uri, 2, connections);
            Result i = run(intercept, trustProxy, uri, seconds, connections);
            System.out.printf("https GET, %d connections, %d s, %d cores%n", connections, seconds,
                    Runtime.getRuntime().availableProcessors());
            System.out.printf("%-12s %10s %8s %8s%n", "mode", "req/s", "p50 ms", "p99 ms");
            System.out.printf("%-12s %10.0f %8.2f %8.2f%n", "passthrough", t.perSecond(), t.p50Millis(), t.p99Millis());
            System.out.printf("%-12s %10.0f %8.2f %8.2f%n", "intercepted", i.perSecond(), i.p50Millis(), i.p99Millis());
            System.out.printf("ratios: req/s intercepted/passthrough = %.2f, p99 intercepted/passthrough = %.2f%n",
                    i.perSecond() / t.perSecond(), i.p99Millis() / t.p99Millis());
        }
    }

    static SSLContext trusting(String pem) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setCertificateEntry("proxy", CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII))));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    static Result run(int proxyPort, SSLContext trust, URI uri, int seconds, int workers) throws Exception {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        LongAdder done = new LongAdder();
        List<long[]> samples = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            long[] lat = new long[200_000];
            samples.add(lat);
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(trust)
                    .proxy(ProxySelector.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), proxyPort)))
                    .build();
            threads.add(Thread.ofPlatform().start(() -> {
                int n = 0;
                HttpRequest req = HttpRequest.newBuilder(uri).GET().build();
                while (System.nanoTime() < end && n < lat.length) {
                    long t0 = System.nanoTime();
                    try {
                        HttpResponse<byte[]> r = client.send(req, HttpResponse.BodyHandlers.ofByteArray());
                        if (r.statusCode() != 200) {
                            throw new IllegalStateException("status " + r.statusCode());
                        }
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    lat[n++] = System.nanoTime() - t0;
                    done.increment();
                }
                lat[lat.length - 1] = n; // the count rides in the last slot
            }));
        }
        long start = System.nanoTime();
        for (Thread t : threads) {
            t.join();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        long[] all = samples.stream().flatMapToLong(a -> Arrays.stream(a, 0, (int) a[a.length - 1])).sorted().toArray();
        return new Result(done.sum() / elapsed, all[all.length / 2] / 1e6, all[(int) (all.length * 0.99)] / 1e6);
    }
}
