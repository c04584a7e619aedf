package dev.rtfs.microvm.egressproxy.server;

/** Every interception test of {@link InterceptionEndToEndTest} again, curl speaking h2 inside the tunnel. */
class InterceptionOverH2EndToEndTest extends InterceptionEndToEndTest {

    @Override
    String protocol() {
        return "--http2";
    }
}
