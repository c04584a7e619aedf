package dev.rtfs.microvm.rtfslang;

import static dev.rtfs.microvm.rtfslang.EvalFixtures.MAIN;
import static dev.rtfs.microvm.rtfslang.EvalFixtures.eval;
import static dev.rtfs.microvm.rtfslang.EvalFixtures.evalWith;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class EvalSpansTest {

    /** Profile macros in the shape of docs/rtfs-2.0/specs-incoming/examples/macros.rtfs. */
    static final String MACROS = """
            ; profile macros
            (defn profile:microvm-min [agent-id]
              (agent.config
                :version "0.1"
                :agent-id agent-id
                :microvm {:resources {:vcpus 1 :mem_mb 256}}))

            (defn profile:microvm-networked [agent-id domains]
              (-> (profile:microvm-min agent-id)
                  (assoc-in [:network :egress :allow-domains] domains)
                  (assoc-in [:network :enabled] true)))
            """;

    static final String CONFIG = """
            ;; the agent
            (profile:microvm-networked "agent-1"
              ["example.com"])
            """;

    private static Span spanOfKey(MapValue m, String keyword) {
        return m.keyAsWritten(KeywordValue.of(keyword)).span();
    }

    @Test
    void topLevelLiteralsKeepTheirOwnSpans() {
        Value v = eval("\n  {:a [1 \"x\"]}");
        MapValue m = (MapValue) v;
        assertThat(m.span().location()).isEqualTo(MAIN + ":2:3");
        assertThat(m.span().via()).isEmpty();
        assertThat(spanOfKey(m, "a").location()).isEqualTo(MAIN + ":2:4");
        VectorValue vec = (VectorValue) m.get("a");
        assertThat(vec.items().get(1).span().location()).isEqualTo(MAIN + ":2:10");
    }

    @Test
    void valuesFlowingThroughVariablesKeepTheLiteralSpan() {
        Value v = eval("(def port\n  8080)\n(let [p port] {:port p})");
        assertThat(((MapValue) v).get("port").span().location()).isEqualTo(MAIN + ":2:3");
    }

    @Test
    void computedValuesTakeTheCallFormSpan() {
        Value v = eval("[\n (+ 1 2)]");
        assertThat(((VectorValue) v).items().get(0).span().location()).isEqualTo(MAIN + ":2:2");
    }

    @Test
    void macroProducedLiteralsPointIntoTheMacroFileViaTheCallSites() {
        TaggedValue cfg = (TaggedValue) evalWith(MACROS, CONFIG);
        MapValue vm = (MapValue) cfg.map().get("microvm");
        MapValue resources = (MapValue) vm.get("resources");
        Value vcpus = resources.get("vcpus");
        assertThat(vcpus.span().location()).isEqualTo("macros.rtfs:6:34");
        // innermost first: the call inside profile:microvm-networked, then the config file's call
        assertThat(vcpus.span().via()).extracting(Span::location)
                .containsExactly("macros.rtfs:9:7", MAIN + ":2:1");
        assertThat(cfg.span().location()).as("the agent.config call form").isEqualTo("macros.rtfs:3:3");
        assertThat(cfg.span().via()).extracting(Span::location).containsExactly("macros.rtfs:9:7", MAIN + ":2:1");
    }

    @Test
    void argumentsWrittenInTheConfigKeepTheirConfigSpan() {
        TaggedValue cfg = (TaggedValue) evalWith(MACROS, CONFIG);
        Value id = cfg.map().get("agent-id");
        assertThat(id.span().location()).isEqualTo(MAIN + ":2:28");
        assertThat(id.span().via()).isEmpty();
        VectorValue domains = (VectorValue) ((MapValue) ((MapValue) cfg.map().get("network")).get("egress")).get("allow-domains");
        assertThat(domains.items().get(0).span().location()).isEqualTo(MAIN + ":3:4");
    }

    @Test
    void assocInKeyIsTheLiteralInTheMacroWithTheConfigCallSite() {
        TaggedValue cfg = (TaggedValue) evalWith(MACROS, CONFIG);
        MapValue egress = (MapValue) ((MapValue) cfg.map().get("network")).get("egress");
        Span key = spanOfKey(egress, "allow-domains");
        assertThat(key.location()).isEqualTo("macros.rtfs:10:35");
        assertThat(key.via()).extracting(Span::location).containsExactly(MAIN + ":2:1");
        // the map created on the way gets the assoc-in call's span
        assertThat(egress.span().location()).isEqualTo("macros.rtfs:10:7");
    }

    @Test
    void laterWritesReplaceTheKeySpan() {
        MapValue m = (MapValue) eval("(-> {:a 1\n :b 2}\n (assoc :a 3)\n (merge {:b 4})\n (deep-merge {:c {:d 1}} {:c {:d 2}}))");
        assertThat(spanOfKey(m, "a").location()).isEqualTo(MAIN + ":3:9");
        assertThat(spanOfKey(m, "b").location()).isEqualTo(MAIN + ":4:10");
        MapValue c = (MapValue) m.get("c");
        assertThat(spanOfKey(c, "d").location()).isEqualTo(MAIN + ":5:31");
        assertThat(List.copyOf(m.entries().keySet())).extracting(Value::toString).containsExactly(":a", ":b", ":c");
    }

    @Test
    void assocInReplacesTheIntermediateKeySpans() {
        MapValue m = (MapValue) eval("(def base {:network {:enabled false}})\n(assoc-in base [:network :enabled] true)");
        assertThat(spanOfKey(m, "network").location()).isEqualTo(MAIN + ":2:17");
        MapValue network = (MapValue) m.get("network");
        assertThat(spanOfKey(network, "enabled").location()).isEqualTo(MAIN + ":2:26");
        assertThat(network.get("enabled").span().location()).isEqualTo(MAIN + ":2:36");
    }

    @Test
    void nestedCallsStackTheirCallSites() {
        String macros = "(defn leaf [] {:x 1})\n(defn mid [] (leaf))\n";
        MapValue m = (MapValue) evalWith(macros, "(mid)");
        Value x = m.get("x");
        assertThat(x.span().location()).isEqualTo("macros.rtfs:1:19");
        assertThat(x.span().via()).extracting(Span::location).containsExactly("macros.rtfs:2:14", MAIN + ":1:1");
        assertThat(Map.of()).isEmpty();
    }

    @Test
    void metadataOnLiteralsIsKept() {
        Value v = eval("^{:doc \"d\"} {:a 1}");
        assertThat(v.meta().get("doc")).isEqualTo(StringValue.of("d"));
    }

    @Test
    void theRepositoryMacrosPointDiagnosticsIntoTheMacroFile() throws IOException {
        Path path = Path.of("../docs/rtfs-2.0/specs-incoming/examples/macros.rtfs");
        boolean present = Files.isRegularFile(path);
        if (!present && "true".equals(System.getenv("CI"))) throw new AssertionError("missing " + path.toAbsolutePath());
        Assumptions.assumeTrue(present, "skipped: " + path + " not found");
        String text = Files.readString(path);
        SourceFile macros = new SourceFile("macros.rtfs", text);
        TaggedValue cfg = (TaggedValue) Rtfs.evaluate(List.of(macros),
                new SourceFile(MAIN, "\n(profile:microvm-networked \"agent-7\" [\"api.example.com\"])"));
        MapValue egress = (MapValue) ((MapValue) cfg.map().get("network")).get("egress");
        Span key = spanOfKey(egress, "allow-domains");
        int offset = text.indexOf(":allow-domains] allowed-domains");
        assertThat(offset).as("macros.rtfs still writes the allowlist with assoc-in").isPositive();
        assertThat(key.source()).isEqualTo("macros.rtfs");
        assertThat(key.offset()).isEqualTo(offset);
        assertThat(key.via()).extracting(Span::location).containsExactly(MAIN + ":2:1");
        assertThat(((VectorValue) egress.get("allow-domains")).items().get(0).span().location()).isEqualTo(MAIN + ":2:39");
    }
}
