package dev.rtfs.microvm.egressproxy.server;

/** Every secret injection test of {@link SecretInjectionEndToEndTest} again, curl speaking h2 inside the tunnel. */
class SecretInjectionOverH2EndToEndTest extends SecretInjectionEndToEndTest {

    @Override
    String protocol() {
        return "--http2";
    }
}
