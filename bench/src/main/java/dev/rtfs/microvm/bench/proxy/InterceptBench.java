package dev.rtfs.microvm.bench.proxy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.rtfs.microvm.egressproxy.testing.TestCa;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ToDoubleFunction;
import javax.net.ssl.SSLContext;

/**
 * Intercepted HTTPS against squid ssl-bump and our own CONNECT passthrough, one loopback HTTPS origin for every
 * target, loopback only. Run by bench/scripts/proxy-bench.sh part (d) as {@code java InterceptBench.java SECONDS
 * WARMUP_SECONDS CONNECTIONS BULK_BYTES ORIGIN_PORT WORKDIR NAME=PROXY_PORT=CA_PEM[=PID|=@PIDFILE[=h2]]...}.
 *
 * <p>It starts the origin on 127.0.0.1:ORIGIN_PORT and writes the origin's CA to WORKDIR/origin-ca.pem (our proxy's
 * {@code upstream_ca}, squid's {@code tls_outgoing_options cafile}), then waits for every target (an HTTP proxy on
 * 127.0.0.1:PROXY_PORT whose TLS a client verifies with CA_PEM) to listen. (1) GETs: each of CONNECTIONS workers
 * holds one keep-alive connection (JDK HttpClient, HTTP/1.1, through the proxy; with {@code =h2} the client asks
 * for HTTP/2 and the workers' requests are streams of one connection) and sends GETs; every target first
 * for WARMUP_SECONDS (reported as "cold": a JVM proxy is still compiling its hot paths then), then in ROUNDS rounds
 * ({@code -Drounds}, default 3) of SECONDS each, the targets in rotating order per round, reported as the median of
 * the rounds (the steady state a long-running proxy serves, with the drift of a shared machine spread over all
 * targets); req/s, p50, p99, and with PID the proxy process's CPU time per request (utime + stime from
 * /proc/PID/stat: what the proxy costs, whatever else the machine runs), the same for this process ("loader":
 * clients and origin together) and how busy the whole machine was (below
 * 100%: the phase waited on something other than CPU). (2) Per target, one HTTPS download of
 * BULK_BYTES after one warm-up download; MiB/s. Origin and clients share
 * this JVM; the proxies are processes of their own.
 */
public final class InterceptBench {

    private InterceptBench() {}

    /**
     * One GET phase: rate, latency percentiles, the proxy's CPU microseconds per request (NaN: unknown), and the share
     * of the whole machine's CPU time that was busy (1.0: CPU-bound; less: something waited).
     */
    record Result(double perSecond, double p50Millis, double p99Millis, double cpuMicrosPerRequest, double loaderMicrosPerRequest,
            double machineBusy) {

        /** Each figure's median over the rounds (the upper middle one for an even count). */
        static Result median(List<Result> rs) {
            return new Result(middle(rs, Result::perSecond), middle(rs, Result::p50Millis),
                    middle(rs, Result::p99Millis), middle(rs, Result::cpuMicrosPerRequest),
                    middle(rs, Result::loaderMicrosPerRequest), middle(rs, Result::machineBusy));
        }

        private static double middle(List<Result> rs, ToDoubleFunction<Result> f) {
            double[] v = rs.stream().mapToDouble(f).sorted().toArray();
            return v[v.length / 2];
        }
    }

    /** Measured GET phases per target ({@code -Drounds=N}, default 3). */
    private static final int ROUNDS = Integer.getInteger("rounds", 3);

    /** One proxy under test: its port, the CA the client must trust for what it presents, its process (0: unknown). */
    record Target(String name, int port, SSLContext trust, long pid, HttpClient.Version version) {}

    public static void main(String[] args) throws Exception {
        int seconds = Integer.parseInt(args[0]);
        int warmup = Integer.parseInt(args[1]);
        int connections = Integer.parseInt(args[2]);
        long bulk = Long.parseLong(args[3]);
        int originPort = Integer.parseInt(args[4]);
        Path work = Path.of(args[5]);
        TestCa ca = new TestCa();
        HttpsServer origin = origin(ca.serverContext("origin.test"), originPort, bulk);
        try {
            Path pem = ca.writeCaPem(work);
            Files.move(pem, work.resolve("origin-ca.pem")); // appears whole: the script waits for it
            List<Target> targets = new ArrayList<>();
            for (String spec : Arrays.asList(args).subList(6, args.length)) {
                String[] f = spec.split("=", 5);
                HttpClient.Version version = f.length > 4 && f[4].equals("h2") ? HttpClient.Version.HTTP_2
                        : HttpClient.Version.HTTP_1_1;
                targets.add(awaitTarget(f[0], Integer.parseInt(f[1]), Path.of(f[2]), f.length > 3 ? f[3] : "0",
                        version));
            }
            URI hello = URI.create("https://origin.test:" + originPort + "/hello");
            URI big = URI.create("https://origin.test:" + originPort + "/bulk");
            Map<String, Result> cold = new LinkedHashMap<>();
            Map<String, List<Result>> rounds = new LinkedHashMap<>();
            Map<String, Double> mibps = new LinkedHashMap<>();
            for (Target t : targets) {
                cold.put(t.name(), run(t, hello, warmup, connections));
                rounds.put(t.name(), new ArrayList<>());
            }
            // Rounds in rotating order (A B C, B C A, C A B, ...): a slow minute of a shared machine falls on every
            // target alike instead of on whichever one it happens to meet.
            for (int r = 0; r < ROUNDS; r++) {
                for (int i = 0; i < targets.size(); i++) {
                    Target t = targets.get((i + r) % targets.size());
                    rounds.get(t.name()).add(run(t, hello, seconds, connections));
                }
            }
            for (Target t : targets) {
                download(t, big, bulk); // warm-up: one full transfer
                mibps.put(t.name(), download(t, big, bulk));
            }
            Map<String, Result> gets = new LinkedHashMap<>();
            rounds.forEach((name, rs) -> gets.put(name, Result.median(rs)));
            System.out.printf("https GET, %d connections, %d rounds of %d s in rotating order after a %d s warm-up "
                    + "(medians of the rounds); one HTTPS download of %d MiB; %d cores%n", connections, ROUNDS, seconds,
                    warmup, bulk >> 20, Runtime.getRuntime().availableProcessors());
            System.out.printf("%-12s %10s %8s %8s %12s %7s %7s %10s %14s %s%n", "mode", "req/s", "p50 ms", "p99 ms",
                    "CPU us/req", "loader", "busy", "bulk MiB/s", "cold req/s p99", "  req/s per round");
            for (Target t : targets) {
                Result r = gets.get(t.name());
                Result c = cold.get(t.name());
                System.out.printf("%-12s %10.0f %8.2f %8.2f %12.1f %7.1f %6.0f%% %10.1f %7.0f %6.1f   %s%n", t.name(),
                        r.perSecond(), r.p50Millis(), r.p99Millis(), r.cpuMicrosPerRequest(),
                        r.loaderMicrosPerRequest(), 100 * r.machineBusy(),
                        mibps.get(t.name()), c.perSecond(),
                        c.p99Millis(), rounds.get(t.name()).stream().map(x -> String.format("%.0f", x.perSecond()))
                                .toList());
            }
            ratios(gets, rounds, mibps, "intercepted", "squid-bump",
                    " (target >= 1.50)", " (target <= 1.00)", " (target >= 1.00)");
            ratios(gets, rounds, mibps, "intercepted", "passthrough", "", "", "");
            ratios(gets, rounds, mibps, "intercepted-h2", "intercepted", "", "", "");
        } finally {
            origin.stop(0);
        }
    }

    private static void ratios(Map<String, Result> gets, Map<String, List<Result>> rounds, Map<String, Double> mibps,
            String a, String b, String rateTarget, String p99Target, String bulkTarget) {
        if (!gets.containsKey(a) || !gets.containsKey(b)) {
            return;
        }
        System.out.printf("ratios %s/%s: req/s = %.2f%s, p99 = %.2f%s, bulk = %.2f%s, CPU per request = %.2f%n", a, b,
                gets.get(a).perSecond() / gets.get(b).perSecond(), rateTarget,
                gets.get(a).p99Millis() / gets.get(b).p99Millis(), p99Target,
                mibps.get(a) / mibps.get(b), bulkTarget,
                gets.get(a).cpuMicrosPerRequest() / gets.get(b).cpuMicrosPerRequest());
        List<String> rate = new ArrayList<>();
        List<String> p99 = new ArrayList<>();
        for (int r = 0; r < rounds.get(a).size(); r++) {
            rate.add(String.format("%.2f", rounds.get(a).get(r).perSecond() / rounds.get(b).get(r).perSecond()));
            p99.add(String.format("%.2f", rounds.get(a).get(r).p99Millis() / rounds.get(b).get(r).p99Millis()));
        }
        System.out.printf("  per round: req/s %s, p99 %s%n", rate, p99);
    }

    /** The HTTPS origin: {@code /bulk} streams {@code bulk} zero bytes, anything else answers 128 bytes. */
    static HttpsServer origin(SSLContext tls, int port, long bulk) throws IOException {
        HttpsServer s = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1024);
        s.setHttpsConfigurator(new HttpsConfigurator(tls));
        byte[] small = "x".repeat(128).getBytes(StandardCharsets.US_ASCII);
        byte[] chunk = new byte[256 * 1024];
        s.createContext("/", (HttpExchange ex) -> {
            try (ex; InputStream in = ex.getRequestBody()) {
                in.readAllBytes();
                ex.getResponseHeaders().set("Content-Type", "application/octet-stream");
                boolean isBulk = ex.getRequestURI().getPath().equals("/bulk");
                ex.sendResponseHeaders(200, isBulk ? bulk : small.length);
                OutputStream out = ex.getResponseBody();
                if (!isBulk) {
                    out.write(small);
                    return;
                }
                for (long left = bulk; left > 0; left -= chunk.length) {
                    out.write(chunk, 0, (int) Math.min(chunk.length, left));
                }
            }
        });
        s.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        s.start();
        return s;
    }

    /** Waits (up to 2 minutes) for the script to start a proxy and write the CA its clients trust. */
    static Target awaitTarget(String name, int port, Path caPem, String pid, HttpClient.Version version)
            throws Exception {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (true) {
            try (Socket probe = new Socket(InetAddress.getLoopbackAddress(), port)) {
                // PID as a number, or @FILE holding it (the script learns it only after this process started)
                String p = pid.startsWith("@") ? Files.readString(Path.of(pid.substring(1))).trim() : pid;
                return new Target(name, port, TestCa.trusting(Files.readString(caPem)), Long.parseLong(p), version);
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw new IOException(name + " never listened on 127.0.0.1:" + port + " with " + caPem, e);
                }
                Thread.sleep(200);
            }
        }
    }

    static HttpClient client(Target t) {
        return HttpClient.newBuilder().version(t.version()).sslContext(t.trust())
                .proxy(ProxySelector.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), t.port()))).build();
    }

    /** One HTTPS download of {@code bytes} through the target; MiB/s from request to last byte. */
    static double download(Target t, URI uri, long bytes) throws Exception {
        HttpClient client = client(t);
        long start = System.nanoTime();
        long got = 0;
        HttpResponse<InputStream> r = client.send(HttpRequest.newBuilder(uri).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        if (r.statusCode() != 200) {
            throw new IOException(t.name() + ": bulk status " + r.statusCode());
        }
        try (InputStream in = r.body()) {
            byte[] buf = new byte[256 * 1024];
            for (int n; (n = in.read(buf)) >= 0; ) {
                got += n;
            }
        }
        double secs = (System.nanoTime() - start) / 1e9;
        if (got != bytes) {
            throw new IOException(t.name() + ": short transfer: " + got + " of " + bytes);
        }
        return got / secs / (1 << 20);
    }

    static Result run(Target target, URI uri, int seconds, int workers) throws Exception {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        LongAdder done = new LongAdder();
        List<long[]> samples = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        // One client for all workers, as a real agent process has: its pool keeps one connection per busy worker, and
        // one selector thread serves them all (a client per worker spent a selector thread each, and most of the CPU).
        HttpClient client = client(target);
        for (int w = 0; w < workers; w++) {
            long[] lat = new long[200_000];
            samples.add(lat);
            threads.add(Thread.ofVirtual().start(() -> {
                int n = 0;
                HttpRequest req = HttpRequest.newBuilder(uri).GET().build();
                while (System.nanoTime() < end && n < lat.length - 1) {
                    long t0 = System.nanoTime();
                    try {
                        HttpResponse<byte[]> r = client.send(req, HttpResponse.BodyHandlers.ofByteArray());
                        if (r.statusCode() != 200) {
                            throw new IllegalStateException(target.name() + ": status " + r.statusCode());
                        }
                        if (r.version() != target.version()) { // a figure for h2 must be one of h2
                            throw new IllegalStateException(target.name() + ": spoke " + r.version());
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
        long cpu0 = cpuTicks(target.pid());
        long[] machine0 = machineTicks();
        long self0 = cpuTicks(ProcessHandle.current().pid());
        for (Thread t : threads) {
            t.join();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        long cpu1 = cpuTicks(target.pid());
        long[] machine1 = machineTicks();
        long self1 = cpuTicks(ProcessHandle.current().pid());
        long[] all = samples.stream().flatMapToLong(a -> Arrays.stream(a, 0, (int) a[a.length - 1])).sorted().toArray();
        double cpuPerRequest = cpu0 < 0 || cpu1 < 0 ? Double.NaN : (cpu1 - cpu0) * TICK_MICROS / (double) done.sum();
        long total = machine1[0] - machine0[0];
        double busy = total <= 0 ? Double.NaN : 1 - (machine1[1] - machine0[1]) / (double) total;
        return new Result(done.sum() / elapsed, all[all.length / 2] / 1e6, all[(int) (all.length * 0.99)] / 1e6,
                cpuPerRequest, (self1 - self0) * TICK_MICROS / (double) done.sum(), busy);
    }

    /** Linux's clock tick as /proc reports CPU times (USER_HZ is 100 on every Linux architecture the bench runs on). */
    private static final double TICK_MICROS = 10_000;

    /** All CPU ticks of the machine and its idle ones (idle + iowait), from the first line of /proc/stat. */
    static long[] machineTicks() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < f.length; i++) {
                total += Long.parseLong(f[i]);
            }
            return new long[] {total, Long.parseLong(f[4]) + Long.parseLong(f[5])};
        } catch (IOException | RuntimeException e) {
            return new long[] {0, 0};
        }
    }

    /** utime + stime of process {@code pid} in clock ticks; -1 when unknown. */
    static long cpuTicks(long pid) {
        if (pid <= 0) {
            return -1;
        }
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" "); // comm may hold spaces
            return Long.parseLong(f[11]) + Long.parseLong(f[12]); // fields 14 and 15 of the whole line
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
