package dev.rtfs.microvm.controlplane.chain;

import java.io.FileOutputStream;
import java.io.FileDescriptor;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Semaphore;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Child JVM of {@link ChainCrashTest}: recovers the chain, then appends events of stream "crash/child" with a few in
 * flight and prints "ACK n" for each one only after its future completed (i.e. it is durable and the signed HEAD
 * covers it). Killed with SIGKILL. Arguments: chain directory, count, host key path.
 */
public final class ChainCrashChild {
    public static final String STREAM = "crash/child";

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true);
        Path dir = Path.of(args[0]);
        int count = Integer.parseInt(args[1]);
        ChainStore store = ChainStore.open(dir, ChainOptions.defaults().withSegmentBytes(16 * 1024)
                .withHeadSigner(HostKey.loadOrCreate(Path.of(args[2]))));
        long next = store.lastDurableOriginSeq(STREAM) + 1;
        RecordFormat.prepare(entry(0)); // load Jackson before READY so the kill window covers appends, not class loading
        out.println("READY " + (next - 1));
        Semaphore window = new Semaphore(8);
        for (long seq = next; seq < next + count; seq++) {
            window.acquire();
            long s = seq;
            store.append(entry(s))
                    .whenComplete((a, e) -> {
                        if (e == null) out.println("ACK " + s);
                        window.release();
                    });
        }
        window.acquire(8);
        out.println("DONE");
        Thread.sleep(60_000); // wait to be killed
    }

    private static ChainEntry entry(long s) {
        return new ChainEntry("crash.event", "crash", "plan", "step",
                JsonNodeFactory.instance.objectNode().put("n", s).put("pad", "x".repeat((int) (s % 200))),
                s == 0 ? null : new Origin(STREAM, s));
    }
}
