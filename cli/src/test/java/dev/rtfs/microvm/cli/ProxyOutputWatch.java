package dev.rtfs.microvm.cli;

import java.io.Writer;
import java.util.concurrent.CountDownLatch;

/** The stdout of an in-process {@code proxy} command: a latch opens once it says it is running. */
final class ProxyOutputWatch extends Writer {

    private final StringBuilder text = new StringBuilder();
    final CountDownLatch running = new CountDownLatch(1);

    @Override
    public synchronized void write(char[] cbuf, int off, int len) {
        text.append(cbuf, off, len);
        if (text.indexOf("egress proxy running") >= 0) {
            running.countDown();
        }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}

    synchronized String snapshot() {
        return text.toString();
    }
}
