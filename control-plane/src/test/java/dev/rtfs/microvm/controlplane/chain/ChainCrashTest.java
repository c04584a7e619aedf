package dev.rtfs.microvm.controlplane.chain;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A child JVM appends and prints every acknowledged seq; it is SIGKILLed at random moments 50 times (sometimes while
 * it is still recovering). The signed HEAD always covers every acknowledged event; after every restart each one is in
 * the chain exactly once and the chain verifies against the key (ending at its signed head, or with an unsigned tail
 * when the kill fell between a commit and its head update).
 */
class ChainCrashTest {
    private static final int KILLS = Integer.getInteger("rtfs.crash.kills", 50);

    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ALWAYS) Path scratch;

    @TempDir Path dir;

    @Test
    void acknowledgedEventsSurviveSigkill() throws Exception {
        long seed = Long.getLong("rtfs.fuzz.seed", System.nanoTime());
        System.out.println("ChainCrashTest seed " + seed + " (-Drtfs.fuzz.seed=" + seed + " to repeat)");
        SplittableRandom random = new SplittableRandom(seed);
        Set<Long> acked = ConcurrentHashMap.newKeySet();
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        int killedMidAppend = 0;
        int unsignedTails = 0;
        Path keyFile = scratch.resolve("key/chain-key");
        AnchorSigner key = HostKey.loadOrCreate(keyFile);
        for (int run = 0; run < KILLS; run++) {
            Process child = new ProcessBuilder(javaBin, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto",
                    "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                    "-cp", System.getProperty("java.class.path"), ChainCrashChild.class.getName(), dir.toString(), "600",
                    keyFile.toString())
                    .redirectError(scratch.resolve("child-stderr.txt").toFile()).start();
            CountDownLatch ready = new CountDownLatch(1);
            boolean[] done = new boolean[1];
            Thread reader = Thread.ofVirtual().start(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        if (line.startsWith("ACK ")) acked.add(Long.parseLong(line.substring(4)));
                        else if (line.startsWith("READY")) ready.countDown();
                        else if (line.equals("DONE")) done[0] = true;
                    }
                } catch (java.io.IOException ignored) {
                    // the child died
                }
            });
            if (random.nextInt(5) == 0) {
                Thread.sleep(random.nextInt(400)); // maybe during JVM start or recovery
            } else {
                assertThat(ready.await(30, TimeUnit.SECONDS)).as("child ready").isTrue();
                Thread.sleep(random.nextInt(120));
            }
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            reader.join();
            if (!done[0]) killedMidAppend++;

            // Before any restart: whatever the kill interrupted, every acknowledged record is under the signed head.
            long maxAcked = acked.stream().mapToLong(Long::longValue).max().orElse(0);
            if (java.nio.file.Files.exists(SignedHead.path(dir))) {
                assertThat(SignedHead.read(dir).orElseThrow().seq()).as("run %d: signed head covers the acks", run)
                        .isGreaterThanOrEqualTo(maxAcked);
            } else {
                assertThat(maxAcked).as("run %d: no HEAD yet, so nothing acknowledged", run).isZero();
            }

            // Restart: recovery cuts any torn tail; then everything acknowledged must be there exactly once.
            try (ChainStore store = ChainStore.open(dir, ChainOptions.defaults().withSegmentBytes(16 * 1024)
                    .withHeadSigner(key))) {
                assertThat(store.lastDurableOriginSeq(ChainCrashChild.STREAM)).isGreaterThanOrEqualTo(
                        acked.stream().mapToLong(Long::longValue).max().orElse(0));
            }
            List<ChainRecord> records = new ArrayList<>();
            VerifyReport report = ChainVerifier.verify(dir, new HeadTrust.Key(key.publicKey()), null, records::add);
            assertThat(report).as("run %d: %s", run, report).isInstanceOf(VerifyReport.Valid.class);
            HeadStatus head = ((VerifyReport.Valid) report).head();
            assertThat(head).as("run %d", run).isInstanceOfAny(HeadStatus.Signed.class, HeadStatus.UnsignedTail.class);
            if (head instanceof HeadStatus.UnsignedTail) unsignedTails++;
            Map<Long, Integer> seen = new HashMap<>();
            for (ChainRecord r : records) seen.merge(r.origin().seq(), 1, Integer::sum);
            assertThat(seen.values()).as("run %d: every origin seq once", run).allMatch(n -> n == 1);
            assertThat(seen.keySet()).as("run %d: all acknowledged present", run).containsAll(acked);
            long max = records.isEmpty() ? 0 : records.getLast().origin().seq();
            assertThat(seen).as("run %d: contiguous", run).hasSize((int) max);
        }
        if (acked.isEmpty()) System.out.println(java.nio.file.Files.readString(scratch.resolve("child-stderr.txt")));
        System.out.println("ChainCrashTest: " + acked.size() + " acknowledged events, " + killedMidAppend
                + " of " + KILLS + " kills before the child finished appending, " + unsignedTails
                + " left records after the signed head (killed between a commit and its head update)");
        assertThat(killedMidAppend).isGreaterThan(KILLS / 3);
    }
}
