package dev.rtfs.microvm.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The demo's dialing: only a loopback address's mapped port is replaced; nothing is dialed for real here. */
class LoopbackPortMapTest {

    @Test
    void aMappedPortOfALoopbackAddressIsDialedAsItsOriginPortAndEverythingElseAsDecided() throws Exception {
        List<InetSocketAddress> dialed = new ArrayList<>();
        EventLoop loop = new DefaultEventLoop();
        try {
            LoopbackPortMap map = new LoopbackPortMap(Map.of(443, 40443, 80, 40080), (pinned, l, h) -> {
                dialed.add(pinned);
                return l.newFailedFuture(new IllegalStateException("recorded, not dialed"));
            });
            InetAddress loopback = InetAddress.getLoopbackAddress();
            InetAddress elsewhere = InetAddress.getByAddress(new byte[] {93, (byte) 184, (byte) 215, 14});
            map.connect(new InetSocketAddress(loopback, 443), loop, null);
            map.connect(new InetSocketAddress(loopback, 80), loop, null);
            map.connect(new InetSocketAddress(loopback, 8443), loop, null);
            map.connect(new InetSocketAddress(elsewhere, 443), loop, null);
            assertThat(dialed).containsExactly(new InetSocketAddress(loopback, 40443),
                    new InetSocketAddress(loopback, 40080), new InetSocketAddress(loopback, 8443),
                    new InetSocketAddress(elsewhere, 443));
        } finally {
            loop.shutdownGracefully().sync();
        }
    }
}
