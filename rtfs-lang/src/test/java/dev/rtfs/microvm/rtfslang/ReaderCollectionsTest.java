package dev.rtfs.microvm.rtfslang;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The read collections (array-backed, not copied by the records) behave like the JDK collections they stand for. */
class ReaderCollectionsTest {

    private static Value read(String text) {
        return RtfsReader.readOne("c.rtfs", text);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 3, 8, 9, 40})
    void mapsAreOrderedImmutableAndEqualToLinkedHashMaps(int n) {
        StringBuilder text = new StringBuilder("{");
        Map<Value, Value> expected = new LinkedHashMap<>();
        for (int i = n - 1; i >= 0; i--) {
            text.append(":k").append(i).append(' ').append(i).append(' ');
            expected.put(KeywordValue.of("k" + i), IntValue.of(i));
        }
        MapValue m = (MapValue) read(text.append('}').toString());
        assertThat(m.entries()).isEqualTo(expected).hasSameHashCodeAs(expected);
        assertThat(expected).isEqualTo(m.entries());
        assertThat(new ArrayList<>(m.entries().keySet())).isEqualTo(new ArrayList<>(expected.keySet()));
        for (Map.Entry<Value, Value> e : expected.entrySet()) {
            assertThat(m.entries().get(e.getKey())).isEqualTo(e.getValue());
            assertThat(m.entries().containsKey(e.getKey())).isTrue();
        }
        assertThat(m.entries().get(KeywordValue.of("absent"))).isNull();
        assertThat(m.entries().containsKey(KeywordValue.of("absent"))).isFalse();
        assertThat(m).isEqualTo(MapValue.of(expected)).hasSameHashCodeAs(MapValue.of(expected));
        assertThatThrownBy(() -> m.entries().put(KeywordValue.of("x"), NilValue.NIL)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> m.entries().clear()).isInstanceOf(UnsupportedOperationException.class);
        if (n > 0) {
            assertThatThrownBy(() -> m.entries().keySet().remove(KeywordValue.of("k0"))).isInstanceOf(UnsupportedOperationException.class);
            assertThatThrownBy(() -> m.entries().entrySet().iterator().next().setValue(NilValue.NIL))
                    .isInstanceOf(UnsupportedOperationException.class);
        }
    }

    @Test void assocOnAReadMapKeepsOrderAndLeavesTheOriginal() {
        MapValue m = (MapValue) read("{:a 1 :b 2}");
        MapValue m2 = m.assoc(KeywordValue.of("a"), IntValue.of(9)).assoc(KeywordValue.of("c"), IntValue.of(3));
        assertThat(RtfsPrinter.print(m2)).isEqualTo("{:a 9 :b 2 :c 3}");
        assertThat(RtfsPrinter.print(m)).isEqualTo("{:a 1 :b 2}");
    }

    @Test void listsAreImmutableAndEqualToJdkLists() {
        VectorValue v = (VectorValue) read("[1 :a \"s\"]");
        List<Value> expected = List.of(IntValue.of(1), KeywordValue.of("a"), StringValue.of("s"));
        assertThat(v.items()).isEqualTo(expected).hasSameHashCodeAs(expected);
        assertThat(expected).isEqualTo(v.items());
        assertThat(v.items().toArray()).containsExactly(expected.toArray());
        assertThatThrownBy(() -> v.items().add(NilValue.NIL)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> v.items().set(0, NilValue.NIL)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> v.items().get(3)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(List.copyOf(v.items())).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 2, 8, 9, 30})
    void setsAreOrderedImmutableAndEqualToJdkSets(int n) {
        StringBuilder text = new StringBuilder("#{");
        Set<Value> expected = new HashSet<>();
        List<Value> order = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            text.append(":e").append(n - i).append(' ');
            expected.add(KeywordValue.of("e" + (n - i)));
            order.add(KeywordValue.of("e" + (n - i)));
        }
        SetValue s = (SetValue) read(text.append('}').toString());
        assertThat(s.items()).isEqualTo(expected).hasSameHashCodeAs(expected);
        assertThat(new ArrayList<>(s.items())).isEqualTo(order);
        for (Value e : expected) assertThat(s.items().contains(e)).isTrue();
        assertThat(s.items().contains(KeywordValue.of("absent"))).isFalse();
        assertThatThrownBy(() -> s.items().add(NilValue.NIL)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> s.items().clear()).isInstanceOf(UnsupportedOperationException.class);
    }
}
