package dev.rtfs.microvm.egressproxy.tls;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TLS implementation both intercepted legs run on: BoringSSL (Netty's {@link SslProvider#OPENSSL}, from
 * netty-tcnative) when its native library loads on this machine and supports ALPN, else the JDK's SSLEngine. BoringSSL
 * is chosen because the handshake and record layer cost far less CPU than the JDK's; behaviour (trust managers, pins,
 * endpoint identification, ALPN, TLS 1.2/1.3, client certificates) is the same on both. Decided once per JVM and
 * logged once.
 */
public final class TlsProvider {

    private static final Logger LOG = LoggerFactory.getLogger(TlsProvider.class);

    /** Initialised on first use, so the native library is only probed when TLS is actually set up. */
    private static final class Chosen {
        static final SslProvider PROVIDER = choose();
    }

    private TlsProvider() {}

    /** {@link SslProvider#OPENSSL} when usable here, else {@link SslProvider#JDK}. */
    public static SslProvider chosen() {
        return Chosen.PROVIDER;
    }

    private static SslProvider choose() {
        if (OpenSsl.isAvailable() && SslProvider.isAlpnSupported(SslProvider.OPENSSL)) {
            LOG.info("TLS interception uses BoringSSL ({})", OpenSsl.versionString());
            return SslProvider.OPENSSL;
        }
        Throwable why = OpenSsl.unavailabilityCause();
        LOG.info("TLS interception uses the JDK SSLEngine: BoringSSL is not usable here ({})",
                why == null ? "no ALPN support" : why.getMessage());
        return SslProvider.JDK;
    }
}
