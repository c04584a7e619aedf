package dev.rtfs.microvm.vmm.api;

import dev.rtfs.microvm.vmm.VmmJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * HTTP/1.1 over a Unix socket, the transport of the Firecracker and Cloud Hypervisor APIs: JSON bodies, always a
 * Content-Length (Firecracker refuses requests without one), one connection per call.
 */
public final class UnixSocketHttpClient implements HypervisorApi {

    private final Path socket;

    public UnixSocketHttpClient(Path socket) {
        this.socket = socket;
    }

    @Override
    public ApiResponse send(ApiCall call) throws IOException {
        byte[] body = call.body() == null ? new byte[0] : VmmJson.compact(call.body()).getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder()
                .append(call.method()).append(' ').append(call.path()).append(" HTTP/1.1\r\n")
                .append("Host: localhost\r\n")
                .append("Accept: application/json\r\n")
                .append("Connection: close\r\n")
                .append("Content-Length: ").append(body.length).append("\r\n");
        if (call.body() != null) head.append("Content-Type: application/json\r\n");
        head.append("\r\n");
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            OutputStream out = Channels.newOutputStream(channel);
            out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            InputStream in = Channels.newInputStream(channel);
            return HttpResponseReader.read(in);
        }
    }
}
