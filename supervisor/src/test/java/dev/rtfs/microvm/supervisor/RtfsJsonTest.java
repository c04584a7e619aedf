package dev.rtfs.microvm.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rtfs.microvm.rtfslang.RtfsReader;
import dev.rtfs.microvm.rtfslang.SourceFile;
import dev.rtfs.microvm.rtfslang.Value;
import org.junit.jupiter.api.Test;

class RtfsJsonTest {

    static Value read(String text) {
        return RtfsReader.readAll(new SourceFile("t.rtfs", text)).getFirst();
    }

    @Test
    void callArgumentsBecomeTheJsonACallFrameCarries() {
        assertThat(RtfsJson.toJson(read("""
                {:url "https://a.example/x?q=1" :method :GET :n 3 :f 1.5 :on true :none nil
                 :tags ["a" :b] :nested {"k" [1 2]} :set #{7}}""")).toString())
                .isEqualTo("{\"url\":\"https://a.example/x?q=1\",\"method\":\"GET\",\"n\":3,\"f\":1.5,\"on\":true,"
                        + "\"none\":null,\"tags\":[\"a\",\"b\"],\"nested\":{\"k\":[1,2]},\"set\":[7]}");
        assertThat(RtfsJson.toJson(read("\"quote \\\" and \\\\ and \\n\"")).asString()).isEqualTo("quote \" and \\ and \n");
    }

    @Test
    void valuesWithoutAJsonFormAreRefusedByType() {
        assertThatThrownBy(() -> RtfsJson.toJson(read("{:a some-symbol}"))).hasMessageContaining("symbol");
        assertThatThrownBy(() -> RtfsJson.toJson(read("{[1] 2}"))).hasMessageContaining("map key").hasMessageContaining("vector");
        assertThatThrownBy(() -> RtfsJson.toJson(read("{:k 1 \"k\" 2}"))).hasMessageContaining("written twice");
    }
}
