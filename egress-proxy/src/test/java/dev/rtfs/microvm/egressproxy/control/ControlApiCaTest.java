package dev.rtfs.microvm.egressproxy.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtfs.microvm.egressproxy.EgressProxy;
import dev.rtfs.microvm.egressproxy.server.ProxyConfig;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class ControlApiCaTest {

    @Test
    void getCaAnswersTheInterceptionCaCertificateAndNeverAKey() throws Exception {
        try (EgressProxy proxy = new EgressProxy(ProxyConfig.defaults());
                EgressProxy other = new EgressProxy(ProxyConfig.defaults())) {
            ControlApi api = new ControlApi(proxy);
            ControlApi.Response r = api.handle("GET", "/ca", "");
            assertThat(r.status()).isEqualTo(200);
            String pem = JsonMapper.builder().build().readTree(r.json()).get("ca_pem").asString();
            assertThat(pem).startsWith("-----BEGIN CERTIFICATE-----").doesNotContain("PRIVATE KEY");
            X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
            assertThat(cert.getBasicConstraints()).as("a CA that signs leaves only").isEqualTo(0);
            assertThat(other.interceptionCaPem()).as("one CA per proxy instance").isNotEqualTo(pem);
            assertThat(api.handle("PUT", "/ca", "x").status()).isEqualTo(405);
        }
    }
}
