package dev.rtfs.microvm.egressproxy.tls;

import dev.rtfs.microvm.egresspolicy.acl.ClientCert;
import dev.rtfs.microvm.egresspolicy.acl.TlsRules;
import dev.rtfs.microvm.egresspolicy.decision.DomainMatcher;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The proxy's client side of an intercepted tunnel: a TLS handler per origin connection that sends the host as SNI,
 * verifies the chain (the JDK's trust store, or the agent's {@code upstream_ca}) and the host name (HTTPS endpoint
 * identification), enforces the host's {@code tls_pins} and presents its {@code client_cert}. Contexts are cached per
 * distinct material (files are read once per proxy). Thread-safe.
 */
public final class UpstreamTls {

    /** A CA bundle or certificate file larger than this is refused rather than read. */
    static final long MAX_PEM_BYTES = 1L << 20;

    private record Material(Optional<String> upstreamCa, List<String> pins, Optional<ClientCert> clientCert) {}

    /** A handler, or the check that made one impossible. */
    public sealed interface Result {}

    public record Ready(SslHandler handler) implements Result {}

    public record Failed(UpstreamTlsFailure failure) implements Result {}

    private final Map<Material, SslContext> contexts = new ConcurrentHashMap<>();

    /** The TLS handler for a connection to {@code host}:{@code port} under {@code rules}. */
    public Result handler(ByteBufAllocator alloc, String host, int port, TlsRules rules) {
        Material m = new Material(rules.upstreamCa(), DomainMatcher.mostSpecific(rules.pins(), host).orElse(List.of()),
                DomainMatcher.mostSpecific(rules.clientCerts(), host));
        SslContext ctx;
        try {
            ctx = contexts.computeIfAbsent(m, UpstreamTls::build);
        } catch (MaterialException e) {
            return new Failed(new UpstreamTlsFailure(UpstreamTlsFailure.MATERIAL, e.getMessage()));
        }
        SslHandler h = ctx.newHandler(alloc, host, port);
        SSLEngine engine = h.engine();
        SSLParameters p = engine.getSSLParameters();
        p.setEndpointIdentificationAlgorithm("HTTPS");
        engine.setSSLParameters(p);
        return new Ready(h);
    }

    private static SslContext build(Material m) {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            if (m.upstreamCa().isPresent()) {
                KeyStore ks = KeyStore.getInstance("PKCS12");
                ks.load(null, null);
                int i = 0;
                for (Certificate c : readCertificates(m.upstreamCa().get())) {
                    ks.setCertificateEntry("ca" + i++, c);
                }
                tmf.init(ks);
            } else {
                tmf.init((KeyStore) null);
            }
            X509ExtendedTrustManager base = null;
            for (TrustManager t : tmf.getTrustManagers()) {
                if (t instanceof X509ExtendedTrustManager x) {
                    base = x;
                }
            }
            if (base == null) {
                throw new MaterialException("no X.509 trust manager available");
            }
            SslContextBuilder b = SslContextBuilder.forClient()
                    .sslProvider(TlsProvider.chosen())
                    .protocols("TLSv1.3", "TLSv1.2")
                    .endpointIdentificationAlgorithm("HTTPS")
                    .trustManager(new PinningTrustManager(base, m.pins()))
                    .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                            ApplicationProtocolNames.HTTP_1_1));
            if (m.clientCert().isPresent()) {
                ClientCert c = m.clientCert().get();
                requireReadable(c.cert(), "client_cert.cert");
                requireReadable(c.key(), "client_cert.key");
                b.keyManager(new File(c.cert()), new File(c.key()));
            }
            return b.build();
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            throw new MaterialException(e.getMessage());
        }
    }

    private static Collection<? extends Certificate> readCertificates(String path) throws IOException,
            GeneralSecurityException {
        requireReadable(path, "upstream_ca");
        byte[] pem = Files.readAllBytes(Path.of(path));
        try (InputStream in = new ByteArrayInputStream(pem)) {
            Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certs.isEmpty()) {
                throw new MaterialException("upstream_ca " + path + " holds no certificate");
            }
            return certs;
        }
    }

    private static void requireReadable(String path, String field) throws IOException {
        Path p = Path.of(path);
        if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
            throw new MaterialException(field + " " + path + " is not a readable file");
        }
        if (Files.size(p) > MAX_PEM_BYTES) {
            throw new MaterialException(field + " " + path + " is larger than " + MAX_PEM_BYTES + " bytes");
        }
    }

    /** The material named by the rules cannot be used (missing file, bad PEM). */
    private static final class MaterialException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        MaterialException(String message) {
            super(message, null, false, false);
        }
    }
}
