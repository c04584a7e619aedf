package dev.rtfs.microvm.rtfslang;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrinterTest {

    private static Value read(String text) {
        return RtfsReader.readOne("p.rtfs", text);
    }

    private static String canonical(String text) {
        return RtfsPrinter.print(read(text));
    }

    @Test void canonicalFormIsOneLineWithSingleSpaces() {
        assertThat(canonical("{ :a 1,\n :b [ 1 , 2 ]\n :c #{ x } :d ( f \"s\" ) }"))
                .isEqualTo("{:a 1 :b [1 2] :c #{x} :d (f \"s\")}");
    }

    @Test void floatsAlwaysPrintAsFloats() {
        assertThat(RtfsPrinter.print(FloatValue.of(1.0))).isEqualTo("1.0");
        assertThat(RtfsPrinter.print(FloatValue.of(1e10))).isEqualTo("1.0E10");
        assertThat(RtfsPrinter.print(FloatValue.of(-2.5e-3))).isEqualTo("-0.0025");
        assertThat(RtfsPrinter.print(FloatValue.of(1e-7))).isEqualTo("1.0E-7");
        assertThat(RtfsPrinter.print(FloatValue.of(Double.NaN))).isEqualTo("##NaN");
        assertThat(RtfsPrinter.print(FloatValue.of(Double.POSITIVE_INFINITY))).isEqualTo("##Inf");
        assertThat(RtfsPrinter.print(FloatValue.of(Double.NEGATIVE_INFINITY))).isEqualTo("##-Inf");
        assertThat(read(RtfsPrinter.print(FloatValue.of(3.0)))).isInstanceOf(FloatValue.class);
    }

    @Test void stringsAreEscapedSoTheyReadBack() {
        String s = "q\" b\\ n\n t\t r\r nul\u0000 del\u007f é 😀 lone\uD800";
        String printed = RtfsPrinter.print(StringValue.of(s));
        assertThat(printed).isEqualTo("\"q\\\" b\\\\ n\\n t\\t r\\r nul\\u0000 del\\u007f é 😀 lone\\ud800\"");
        assertThat(read(printed)).isEqualTo(StringValue.of(s));
    }

    @Test void atoms() {
        assertThat(canonical("[nil true false -42 :k/x profile:microvm-networked]"))
                .isEqualTo("[nil true false -42 :k/x profile:microvm-networked]");
    }

    @Test void metadataIsPrintedBeforeTheForm() {
        assertThat(canonical("^:private ^{:doc \"d\"} [1]")).isEqualTo("^{:doc \"d\" :private true} [1]");
        assertThat(canonical("(plan ^{:effects []} :program)")).isEqualTo("(plan ^{:effects []} :program)");
    }

    @Test void taggedValuePrintsAsItsConstructorCall() {
        Map<Value, Value> m = new LinkedHashMap<>();
        m.put(KeywordValue.of("version"), StringValue.of("1"));
        m.put(KeywordValue.of("agent-id"), StringValue.of("a"));
        TaggedValue t = new TaggedValue("agent.config", MapValue.of(m), List.of(), Span.NONE, MapValue.EMPTY);
        assertThat(RtfsPrinter.print(t)).isEqualTo("(agent.config :version \"1\" :agent-id \"a\")");
        assertThat(RtfsPrinter.print(new TaggedValue("agent.config", MapValue.EMPTY, List.of(), Span.NONE, MapValue.EMPTY)))
                .isEqualTo("(agent.config)");
    }

    @Test void functionsPrintAsNonData() {
        FnValue fn = new TestFn("profile:microvm-min");
        assertThat(RtfsPrinter.print(VectorValue.of(List.of(fn)))).isEqualTo("[#<fn profile:microvm-min>]");
    }

    @Test void prettyKeepsShortFormsOnOneLine() {
        assertThat(RtfsPrinter.pretty(read("{:a 1 :b [1 2]}"))).isEqualTo("{:a 1 :b [1 2]}");
    }

    @Test void prettyBreaksLongMapsOneEntryPerLine() {
        String text = "{:version \"1\" :agent-id \"agent.microvm-01\" :orchestrator {:isolation {:mode :microvm"
                + " :fs {:ephemeral true :mounts {:capabilities {:mode :ro}}}} :dlp {:enabled true :policy :strict}}"
                + " :features [:network :llm]}";
        String expected = """
                {:version "1"
                 :agent-id "agent.microvm-01"
                 :orchestrator {:isolation {:mode :microvm
                                            :fs {:ephemeral true
                                                 :mounts {:capabilities {:mode :ro}}}}
                                :dlp {:enabled true :policy :strict}}
                 :features [:network :llm]}""";
        String pretty = RtfsPrinter.pretty(read(text));
        assertThat(pretty).isEqualTo(expected);
        assertThat(read(pretty)).isEqualTo(read(text));
    }

    @Test void prettyTaggedValueOnePairPerLine() {
        Map<Value, Value> m = new LinkedHashMap<>();
        m.put(KeywordValue.of("version"), StringValue.of("1"));
        m.put(KeywordValue.of("agent-id"), StringValue.of("agent.microvm-01"));
        m.put(KeywordValue.of("network"), read("{:enabled true :egress {:via :proxy :allow-domains [\"api.example.com\"]}}"));
        TaggedValue t = new TaggedValue("agent.config", MapValue.of(m), List.of(), Span.NONE, MapValue.EMPTY);
        assertThat(RtfsPrinter.pretty(t)).isEqualTo("""
                (agent.config
                  :version "1"
                  :agent-id "agent.microvm-01"
                  :network {:enabled true
                            :egress {:via :proxy :allow-domains ["api.example.com"]}})""");
    }

    @Test void prettyLongListsAndVectors() {
        String longVec = "[\"" + "a".repeat(40) + "\" \"" + "b".repeat(40) + "\"]";
        assertThat(RtfsPrinter.pretty(read(longVec))).isEqualTo("[\"" + "a".repeat(40) + "\"\n \"" + "b".repeat(40) + "\"]");
        String call = "(step \"Fetch\" (call :http.get {:url \"http://api.example.com/items/with/a/long/path\"}))";
        assertThat(RtfsPrinter.pretty(read(call))).isEqualTo("""
                (step
                  "Fetch"
                  (call :http.get {:url "http://api.example.com/items/with/a/long/path"}))""");
    }

    @Test void prettyOfTheDesignPlanReadsBackWithMetadata() {
        Value plan = read(FuzzCorpus.PLAN);
        String pretty = RtfsPrinter.pretty(plan);
        assertThat(pretty).contains("\n");
        Value back = read(pretty);
        assertThat(back).isEqualTo(plan);
        assertThat(RtfsPrinter.print(back)).isEqualTo(RtfsPrinter.print(plan));
        assertThat(pretty.lines()).allSatisfy(line -> assertThat(line).doesNotEndWith(" "));
    }

    /** A minimal function value; the printer must not treat it as data. */
    private record TestFn(String name, Span span, MapValue meta) implements FnValue {
        TestFn(String name) { this(name, Span.NONE, MapValue.EMPTY); }
        @Override public Value withSpan(Span s) { return new TestFn(name, s, meta); }
        @Override public Value withMeta(MapValue m) { return new TestFn(name, span, m); }
    }
}
