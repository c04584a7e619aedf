package dev.rtfs.microvm.egressproxy.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/** Runs the real curl binary. Missing curl skips locally and fails under CI=true. */
public final class Curl {

    /** What curl saw: exit code, final status, CONNECT status, response headers, body and HTTP version (1.1, 2). */
    public record Result(int exit, int status, int connectStatus, String headers, String body, String httpVersion) {
        public String header(String name) {
            for (String line : headers.split("\r?\n")) {
                int c = line.indexOf(':');
                if (c > 0 && line.substring(0, c).trim().equalsIgnoreCase(name)) {
                    return line.substring(c + 1).trim();
                }
            }
            return null;
        }
    }

    private Curl() {}

    public static void requireCurl() {
        boolean ok = Files.isExecutable(Path.of("/usr/bin/curl"));
        if (!ok && "true".equals(System.getenv("CI"))) {
            Assertions.fail("curl is required under CI (.ci/run installs the Debian package)");
        }
        Assumptions.assumeTrue(ok, "curl not installed: apt-get install -y curl");
    }

    public static Result run(Path workDir, String... args) throws IOException, InterruptedException {
        requireCurl();
        Path headers = Files.createTempFile(workDir, "h", ".txt");
        Path body = Files.createTempFile(workDir, "b", ".txt");
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/curl", "-sS", "--noproxy", "", "--max-time", "10",
                "-D", headers.toString(), "-o", body.toString(), "-w", "%{http_code} %{http_connect} %{http_version}"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(false).redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            Assertions.fail("curl did not finish: " + cmd);
        }
        String[] codes = out.split(" ");
        int status = codes.length > 0 && !codes[0].isEmpty() ? Integer.parseInt(codes[0]) : 0;
        int connect = codes.length > 1 ? Integer.parseInt(codes[1]) : 0;
        String version = codes.length > 2 ? codes[2] : "";
        return new Result(p.exitValue(), status, connect, Files.readString(headers, StandardCharsets.ISO_8859_1),
                Files.readString(body, StandardCharsets.ISO_8859_1), version);
    }
}
