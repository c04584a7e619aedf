package dev.rtfs.microvm.rtfslang;

import static dev.rtfs.microvm.rtfslang.EvalFixtures.MAIN;
import static dev.rtfs.microvm.rtfslang.EvalFixtures.eval;
import static dev.rtfs.microvm.rtfslang.EvalFixtures.read;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EvalAgentConfigTest {

    @Test
    void buildsATaggedMapKeepingTheArguments() {
        TaggedValue t = (TaggedValue) eval("(agent.config\n  :version \"1\"\n  :agent-id (str \"a\" \"b\"))");
        assertThat(t.tag()).isEqualTo("agent.config");
        assertThat(t.map()).isEqualTo(read("{:version \"1\" :agent-id \"ab\"}"));
        assertThat(t.args()).hasSize(4);
        assertThat(t.args().get(0).span().location()).isEqualTo(MAIN + ":2:3");
        assertThat(t.span().location()).isEqualTo(MAIN + ":1:1");
    }

    @Test
    void oddArgumentCountDoesNotThrow() {
        TaggedValue t = (TaggedValue) eval("(agent.config :version \"1\" :dangling)");
        assertThat(t.map()).isEqualTo(read("{:version \"1\"}"));
        assertThat(t.args()).hasSize(3);
        assertThat(t.args().get(2)).isEqualTo(KeywordValue.of("dangling"));
        assertThat(t.args().get(2).span().column()).isEqualTo(28);
    }

    @Test
    void nonKeywordKeysDoNotThrow() {
        TaggedValue t = (TaggedValue) eval("(agent.config \"version\" \"1\" 42 :x)");
        assertThat(t.args()).extracting(Value::typeName).containsExactly("string", "string", "integer", "keyword");
        assertThat(t.map().get(StringValue.of("version"))).isEqualTo(StringValue.of("1"));
    }

    @Test
    void repeatedKeysDoNotThrowAndAreAllInTheArguments() {
        TaggedValue t = (TaggedValue) eval("(agent.config :version \"1\"\n :version \"2\")");
        assertThat(t.map()).isEqualTo(read("{:version \"2\"}"));
        assertThat(t.args()).hasSize(4);
        assertThat(t.args().get(0).span().line()).isEqualTo(1);
        assertThat(t.args().get(2).span().line()).isEqualTo(2);
        // the map's key object is the last one written
        assertThat(t.map().keyAsWritten(KeywordValue.of("version")).span().line()).isEqualTo(2);
    }

    @Test
    void emptyConstructorAndBareMaps() {
        TaggedValue t = (TaggedValue) eval("(agent.config)");
        assertThat(t.map().entries()).isEmpty();
        assertThat(eval("{:version \"1\"}")).isInstanceOf(MapValue.class);
    }

    @Test
    void agentConfigIsAnOrdinaryFunctionValue() {
        TaggedValue t = (TaggedValue) eval("(apply agent.config [:a 1])");
        assertThat(t.map()).isEqualTo(read("{:a 1}"));
        assertThat(eval("(fn? agent.config)")).isEqualTo(BoolValue.TRUE);
    }
}
