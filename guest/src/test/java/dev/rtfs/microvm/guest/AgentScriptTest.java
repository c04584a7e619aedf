package dev.rtfs.microvm.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The Java face of the agent: what it publishes about the script matches the script. */
class AgentScriptTest {

    @Test
    void scriptIsABusyboxShellScriptAndInitRunsItFromItsImagePath() {
        String script = ReferenceAgent.scriptText();
        assertThat(script).startsWith("#!/bin/busybox sh\n");
        assertThat(script).doesNotContain("\r");
        assertThat(ReferenceAgent.PATH_IN_IMAGE).isEqualTo("agent/agent.sh");
    }

    @Test
    void publishedCapabilitiesAreExactlyTheOnesTheScriptDispatches() {
        Matcher m = Pattern.compile("(?m)^\\s*'\"([a-z.]+)\"'\\) cap_").matcher(ReferenceAgent.scriptText());
        List<String> dispatched = new ArrayList<>();
        while (m.find()) dispatched.add(m.group(1));
        assertThat(dispatched).containsExactlyElementsOf(ReferenceAgent.CAPABILITIES);
    }

    @Test
    void kernelArgNamesTheAgentAndRefusesIdsTheScriptWouldNotAccept() {
        assertThat(ReferenceAgent.kernelArg("agent.demo-1")).isEqualTo("rtfs.agent_id=agent.demo-1");
        assertThat(ReferenceAgent.scriptText()).contains(ReferenceAgent.AGENT_ID_PARAM + "=");
        for (String bad : new String[] {"", "has space", "quote\"", "a=b", "x".repeat(257)}) {
            assertThatThrownBy(() -> ReferenceAgent.kernelArg(bad)).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> ReferenceAgent.kernelArg(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void stoppedMarkerIsWhatTheScriptPrintsLast() {
        assertThat(ReferenceAgent.scriptText()).contains("log \"stopped\"");
        assertThat(ReferenceAgent.STOPPED_MARKER).isEqualTo("rtfs-agent: stopped");
    }
}
