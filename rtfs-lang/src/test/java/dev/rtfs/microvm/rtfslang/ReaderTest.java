package dev.rtfs.microvm.rtfslang;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Golden tests: one per syntax rule of DESIGN §3, including every upstream pitfall named in issue 2. */
class ReaderTest {

    static List<Value> read(String text) {
        return RtfsReader.readAll("t.rtfs", text);
    }

    static Value one(String text) {
        List<Value> forms = read(text);
        assertThat(forms).hasSize(1);
        return forms.get(0);
    }

    static RtfsSyntaxException error(String text) {
        try {
            List<Value> forms = read(text);
            throw new AssertionError("expected a syntax error for " + text + " but read " + forms);
        } catch (RtfsSyntaxException e) {
            assertThat(e.code()).isEqualTo("RTFS_SYNTAX");
            assertThat(e.span().source()).isEqualTo("t.rtfs");
            return e;
        }
    }

    static void assertErrorAt(String text, int line, int column, String messagePart) {
        RtfsSyntaxException e = error(text);
        assertThat(e.getMessage()).contains(messagePart);
        assertThat(List.of(e.span().line(), e.span().column())).as(e.getMessage()).containsExactly(line, column);
    }

    static SymbolValue sym(String name) { return SymbolValue.of(name); }

    static KeywordValue kw(String name) { return KeywordValue.of(name); }

    @Nested
    class WhitespaceAndComments {
        @Test void commaIsWhitespace() {
            assertThat(one("[1,2 ,3,,]")).isEqualTo(VectorValue.of(List.of(IntValue.of(1), IntValue.of(2), IntValue.of(3))));
        }

        @Test void fileStartingWithACommentReads() {
            assertThat(read(";; agent config\n; second line\n{:version \"1\"}\n")).containsExactly(MapValue.of(Map.of(kw("version"), StringValue.of("1"))));
        }

        @Test void fileStartingWithABlockCommentReads() {
            assertThat(read("#| header\n (not code |#\n:a")).containsExactly(kw("a"));
        }

        @Test void blockCommentsNest() {
            assertThat(read("#| outer #| inner |# still comment |# x")).containsExactly(sym("x"));
        }

        @Test void unterminatedBlockCommentReportsTheOpener() {
            assertErrorAt("a\n  #| never closed", 2, 3, "unterminated block comment");
        }

        @Test void commentAtEndWithoutNewline() {
            assertThat(read("x ; done")).containsExactly(sym("x"));
        }

        @Test void emptyAndBlankFilesHaveNoForms() {
            assertThat(read("")).isEmpty();
            assertThat(read(" \t\r\n,; only a comment")).isEmpty();
        }

        @Test void discardSkipsTheNextForm() {
            assertThat(one("[1 #_ 2 3]")).isEqualTo(VectorValue.of(List.of(IntValue.of(1), IntValue.of(3))));
            assertThat(one("[1 #_{:a [nested]} 3]")).isEqualTo(VectorValue.of(List.of(IntValue.of(1), IntValue.of(3))));
        }

        @Test void discardsStack() {
            assertThat(read("#_ #_ a b c")).containsExactly(sym("c"));
        }

        @Test void discardWithoutAFormIsAnError() {
            assertErrorAt("(a #_)", 1, 4, "'#_' must be followed by a form");
            assertErrorAt("a #_", 1, 3, "'#_' must be followed by a form");
        }
    }

    @Nested
    class Numbers {
        @Test void integers() {
            assertThat(read("0 42 -7 +5")).containsExactly(IntValue.of(0), IntValue.of(42), IntValue.of(-7), IntValue.of(5));
        }

        @Test void sixtyFourBitLimitsRead() {
            assertThat(read("9223372036854775807 -9223372036854775808"))
                    .containsExactly(IntValue.of(Long.MAX_VALUE), IntValue.of(Long.MIN_VALUE));
        }

        @Test void overflowIsAnErrorAtTheLiteral() {
            assertErrorAt("[1 9223372036854775808]", 1, 4, "does not fit in 64 bits");
            assertErrorAt("-9223372036854775809", 1, 1, "does not fit in 64 bits");
            assertErrorAt("99999999999999999999999999", 1, 1, "does not fit in 64 bits");
        }

        @Test void exponentFormsAreFloats() {
            assertThat(one("1e5")).isEqualTo(FloatValue.of(100000.0));
            assertThat(one("-2.5E-3")).isEqualTo(FloatValue.of(-0.0025));
            assertThat(one("2.5e-3")).isEqualTo(FloatValue.of(0.0025));
            assertThat(one("1E+2")).isEqualTo(FloatValue.of(100.0));
            assertThat(one("1.5")).isInstanceOf(FloatValue.class).isEqualTo(FloatValue.of(1.5));
        }

        @Test void floatWithHugeMantissaIsNotAnIntegerOverflow() {
            assertThat(one("123456789012345678901234.5")).isEqualTo(FloatValue.of(123456789012345678901234.5));
        }

        @Test void negativeZeroKeepsItsSign() {
            assertThat(one("-0.0")).isEqualTo(FloatValue.of(-0.0)).isNotEqualTo(FloatValue.of(0.0));
        }

        @Test void symbolicFloats() {
            assertThat(read("##Inf ##-Inf ##NaN")).containsExactly(FloatValue.of(Double.POSITIVE_INFINITY),
                    FloatValue.of(Double.NEGATIVE_INFINITY), FloatValue.of(Double.NaN));
            assertErrorAt("##Infinity", 1, 1, "unknown symbolic value '##Infinity'");
        }

        @Test void malformedNumbersAreErrorsAtTheOffendingCharacter() {
            assertErrorAt("12abc", 1, 3, "after number");
            assertErrorAt("1.", 1, 3, "digit must follow the decimal point");
            assertErrorAt("1e", 1, 3, "digit must follow the exponent");
            assertErrorAt("1.5.2", 1, 4, "after number");
            assertErrorAt("007", 1, 1, "leading zeros");
            assertErrorAt("1e999", 1, 1, "out of the 64-bit range");
        }

        @Test void signAloneOrBeforeLettersIsASymbol() {
            assertThat(read("+ - -x ->")).containsExactly(sym("+"), sym("-"), sym("-x"), sym("->"));
        }
    }

    @Nested
    class Strings {
        @Test void escapes() {
            assertThat(one("\"a\\nb\\tc\\rd\\\\e\\\"f\\u00e9\\u0041\"")).isEqualTo(StringValue.of("a\nb\tc\rd\\e\"féA"));
        }

        @Test void rawNewlinesAndUnicodeAreKept() {
            assertThat(one("\"line1\nline2 é 😀\"")).isEqualTo(StringValue.of("line1\nline2 é 😀"));
        }

        @Test void badEscapeIsAnErrorAtTheBackslash() {
            assertErrorAt("\"\\q\"", 1, 2, "invalid escape '\\q'");
            assertErrorAt("(x \"abc\\q\")", 1, 8, "invalid escape");
            assertErrorAt("\"ok\"\n  \"é\\x\"", 2, 5, "invalid escape '\\x'");
        }

        @Test void badUnicodeEscapeIsAnErrorAtTheBackslash() {
            assertErrorAt("\"ab\\u12G4\"", 1, 4, "unicode escape");
            assertErrorAt("\"\\u12", 1, 2, "unicode escape");
        }

        @Test void unterminatedStringReportsTheOpeningQuote() {
            assertErrorAt("[\"abc", 1, 2, "unterminated string");
            assertErrorAt("\"abc\\", 1, 1, "unterminated string");
        }
    }

    @Nested
    class WordsSymbolsKeywords {
        @Test void booleansAndNil() {
            assertThat(read("true false nil")).containsExactly(BoolValue.TRUE, BoolValue.FALSE, NilValue.NIL);
        }

        @Test void predicatesNamedLikeLiteralsAreSymbols() {
            assertThat(read("true? nil? false! nilly truex")).containsExactly(sym("true?"), sym("nil?"), sym("false!"),
                    sym("nilly"), sym("truex"));
        }

        @Test void colonAndDotInsideSymbolsDoNotSplitThem() {
            assertThat(read("profile:microvm-networked agent.config assoc-in -> ->> com.acme/x a.b/c <= *x* $y% @z &"))
                    .containsExactly(sym("profile:microvm-networked"), sym("agent.config"), sym("assoc-in"), sym("->"),
                            sym("->>"), sym("com.acme/x"), sym("a.b/c"), sym("<="), sym("*x*"), sym("$y%"), sym("@z"), sym("&"));
        }

        @Test void iffyIsACallOfIffyNotIf() {
            assertThat(one("(iffy a b)")).isEqualTo(ListValue.of(List.of(sym("iffy"), sym("a"), sym("b"))));
        }

        @Test void unicodeLettersInSymbols() {
            assertThat(read("größe 𝒳y")).containsExactly(sym("größe"), sym("𝒳y"));
        }

        @Test void symbolEndingWithColonIsAnError() {
            assertErrorAt("(profile: x)", 1, 9, "cannot end with ':'");
        }

        @Test void keywords() {
            assertThat(read(":orchestrator :allow-domains :tls_pins :com.acme/x :a:b :404"))
                    .containsExactly(kw("orchestrator"), kw("allow-domains"), kw("tls_pins"), kw("com.acme/x"), kw("a:b"), kw("404"));
        }

        @Test void malformedKeywords() {
            assertErrorAt("[: x]", 1, 2, "must be followed by a keyword name");
            assertErrorAt("::a", 1, 1, "cannot start with ':'");
            assertErrorAt(":a:", 1, 3, "cannot end with ':'");
        }

        @Test void charactersOutsideTheDialectAreErrors() {
            assertErrorAt("(quote 'x)", 1, 8, "unexpected character '''");
            assertErrorAt("a \\b", 1, 3, "unexpected character '\\'");
            assertErrorAt("`x", 1, 1, "unexpected character '`'");
            assertErrorAt("x\u00a0y", 1, 2, "U+00A0");
            assertErrorAt("foo#bar", 1, 4, "after symbol");
            assertErrorAt("#foo", 1, 1, "unknown dispatch '#f'");
        }
    }

    @Nested
    class Collections {
        @Test void allKinds() {
            Value v = one("(a [1 2] {:k \"v\"} #{:x :y} () [] {} #{})");
            assertThat(v).isEqualTo(ListValue.of(List.of(sym("a"),
                    VectorValue.of(List.of(IntValue.of(1), IntValue.of(2))),
                    MapValue.of(Map.of(kw("k"), StringValue.of("v"))),
                    SetValue.of(new java.util.LinkedHashSet<>(List.of(kw("x"), kw("y")))),
                    ListValue.of(List.of()), VectorValue.of(List.of()), MapValue.of(Map.of()),
                    SetValue.of(java.util.Set.of()))));
        }

        @Test void listAndVectorAreDifferentValues() {
            assertThat(one("(1 2)")).isNotEqualTo(one("[1 2]"));
        }

        @Test void mapsKeepInsertionOrder() {
            MapValue m = (MapValue) one("{:z 1 :a 2 :m 3}");
            assertThat(m.entries().keySet()).containsExactly(kw("z"), kw("a"), kw("m"));
        }

        @Test void repeatedMapKeyIsAnErrorAtTheSecondKeyNamingTheFirst() {
            RtfsSyntaxException e = error("{:mode :ro\n :mode :rw}");
            assertThat(e.getMessage()).contains("duplicate key :mode").contains("first at t.rtfs:1:2");
            assertThat(List.of(e.span().line(), e.span().column())).containsExactly(2, 2);
        }

        @Test void structurallyEqualKeysAreDuplicates() {
            assertErrorAt("{[1 2] a (1 2) b [1 2] c}", 1, 18, "duplicate key [1 2]");
        }

        @Test void repeatedSetElementIsAnError() {
            assertErrorAt("#{:a :b :a}", 1, 9, "duplicate element :a in set literal (first at t.rtfs:1:3)");
        }

        @Test void oddMapIsAnErrorAtTheKeyWithoutValue() {
            assertErrorAt("{:a 1\n :b}", 2, 2, "key without a value");
        }

        @Test void unclosedBracketReportsWhereItOpened() {
            assertErrorAt("(defn f [x]\n  {:a (+ x 1)\n", 2, 3, "unclosed '{': end of input");
            assertErrorAt("(a\n b\n c", 1, 1, "unclosed '('");
            assertErrorAt("#{1 2", 1, 1, "unclosed '#{'");
        }

        @Test void mismatchedCloserReportsTheUnclosedOpenerAndTheCloser() {
            assertErrorAt("[a (b c]", 1, 4, "unclosed '(': found ']' at 1:8 where ')' was expected");
        }

        @Test void trailingJunkIsAnErrorAtItsPosition() {
            assertErrorAt("{:a 1} )", 1, 8, "unexpected ')'");
            assertErrorAt("(a b)\n\n  ]", 3, 3, "unexpected ']'");
            assertErrorAt("{:a 1} #<junk>", 1, 8, "unknown dispatch");
        }

        @Test void severalTopLevelFormsAreAllRead() {
            assertThat(read("(def a 1) (def b 2) a")).hasSize(3);
        }
    }

    @Nested
    class Metadata {
        @Test void mapMetadataAttachesToTheNextForm() {
            Value v = one("^{:doc \"d\"} [1]");
            assertThat(v).isEqualTo(VectorValue.of(List.of(IntValue.of(1))));
            assertThat(v.meta().entries()).containsExactly(Map.entry(kw("doc"), StringValue.of("d")));
        }

        @Test void keywordMetadataMeansTrue() {
            Value v = one("^:private foo");
            assertThat(v).isEqualTo(sym("foo"));
            assertThat(v.meta().get("private")).isEqualTo(BoolValue.TRUE);
        }

        @Test void metadataOnAKeywordAsPlansWriteIt() {
            List<Value> forms = ((ListValue) one("(plan ^{:effects [[:network {}]]} :program (do))")).items();
            assertThat(forms.get(1)).isEqualTo(kw("program"));
            assertThat(forms.get(1).meta().get("effects")).isInstanceOf(VectorValue.class);
        }

        @Test void stackedMetadataMerges() {
            Value v = one("^:a ^{:b 1 :a false} x");
            assertThat(v.meta().entries()).containsOnly(Map.entry(kw("a"), BoolValue.TRUE), Map.entry(kw("b"), IntValue.of(1)));
        }

        @Test void metadataMustBeAMapOrKeyword() {
            assertErrorAt("^\"doc\" x", 1, 2, "metadata must be a map or a keyword, not a string");
            assertErrorAt("(^:a)", 1, 2, "no form to attach to");
            assertErrorAt("^", 1, 1, "must be followed by metadata");
        }
    }

    @Nested
    class Limits {
        @Test void deepNestingIsASyntaxErrorNotAStackOverflow() {
            assertErrorAt("[".repeat(100_000), 1, RtfsReader.MAX_DEPTH + 1, "nesting deeper than 512");
            assertErrorAt("(".repeat(100_000) + ")".repeat(100_000), 1, RtfsReader.MAX_DEPTH + 1, "nesting deeper");
            assertThatThrownBy(() -> read("^:a ".repeat(100_000) + "x")).isInstanceOf(RtfsSyntaxException.class);
            assertThatThrownBy(() -> read("#_ ".repeat(100_000) + "x")).isInstanceOf(RtfsSyntaxException.class);
            assertThatThrownBy(() -> read("#{".repeat(100_000))).isInstanceOf(RtfsSyntaxException.class);
        }

        @Test void nestingUpToTheLimitReads() {
            int n = RtfsReader.MAX_DEPTH;
            Value v = one("[".repeat(n) + "]".repeat(n));
            for (int i = 1; i < n; i++) v = ((VectorValue) v).items().get(0);
            assertThat(v).isEqualTo(VectorValue.of(List.of()));
        }

        @Test void largeInputReads() {
            String text = "{:k [1 2.5 \"s\" :kw sym]}\n".repeat(50_000);
            List<Value> forms = read(text);
            assertThat(forms).hasSize(50_000);
            assertThat(forms.get(49_999).span().line()).isEqualTo(50_000);
        }
    }

    @Test void readOneRequiresExactlyOneForm() {
        assertThat(RtfsReader.readOne("x", " :a ")).isEqualTo(kw("a"));
        assertThatThrownBy(() -> RtfsReader.readOne("x", " ")).isInstanceOf(RtfsSyntaxException.class);
        assertThatThrownBy(() -> RtfsReader.readOne("x", ":a :b")).isInstanceOf(RtfsSyntaxException.class)
                .hasMessageContaining("more");
    }

    @Test void sourceFileOverloadUsesItsName() {
        Value v = RtfsReader.readAll(new SourceFile("cfg/agent.rtfs", "\n  x")).get(0);
        assertThat(v.span().location()).isEqualTo("cfg/agent.rtfs:2:3");
    }

    @Test void repositoryExamplesRead() {
        boolean found = !FuzzCorpus.repositoryExamples().isEmpty();
        String why = "docs/**/*.rtfs not found under rtfs.repo.root=" + FuzzCorpus.repositoryRoot();
        if (!found && "true".equals(System.getenv("CI"))) throw new AssertionError(why);
        org.junit.jupiter.api.Assumptions.assumeTrue(found, why);
        for (String text : FuzzCorpus.repositoryExamples()) {
            List<Value> forms = read(text);
            assertThat(forms).isNotEmpty();
            for (Value v : forms) assertThat(read(RtfsPrinter.pretty(v))).containsExactly(v);
        }
    }

    @Test void designPlanExampleReads() {
        Value plan = one(FuzzCorpus.PLAN);
        assertThat(((ListValue) plan).items().get(0)).isEqualTo(sym("plan"));
        assertThat(((ListValue) plan).items().get(1)).isEqualTo(kw("program"));
        assertThat(((ListValue) plan).items().get(1).meta().get("effects")).isInstanceOf(VectorValue.class);
    }
}
