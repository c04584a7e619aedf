package dev.rtfs.microvm.supervisor;

import dev.rtfs.microvm.rtfslang.BoolValue;
import dev.rtfs.microvm.rtfslang.FloatValue;
import dev.rtfs.microvm.rtfslang.IntValue;
import dev.rtfs.microvm.rtfslang.KeywordValue;
import dev.rtfs.microvm.rtfslang.ListValue;
import dev.rtfs.microvm.rtfslang.MapValue;
import dev.rtfs.microvm.rtfslang.NilValue;
import dev.rtfs.microvm.rtfslang.SetValue;
import dev.rtfs.microvm.rtfslang.StringValue;
import dev.rtfs.microvm.rtfslang.Value;
import dev.rtfs.microvm.rtfslang.VectorValue;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The arguments of a plan's {@code (call :cap {...})} as the JSON a {@code call} frame carries: keywords become
 * their names ({@code :url} → {@code "url"}), maps need keyword or string keys, vectors, lists and sets become
 * arrays. Symbols, functions, tagged values and non-finite numbers have no JSON form and are refused, naming the
 * value's type.
 */
final class RtfsJson {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private RtfsJson() {}

    public static JsonNode toJson(Value v) {
        return switch (v) {
            case NilValue n -> JSON.nullNode();
            case BoolValue b -> JSON.booleanNode(b.value());
            case IntValue i -> JSON.numberNode(i.value());
            case FloatValue f -> {
                if (!Double.isFinite(f.value())) {
                    throw new IllegalArgumentException("a non-finite number has no JSON form: " + f.value());
                }
                yield JSON.numberNode(f.value());
            }
            case StringValue s -> JSON.stringNode(s.value());
            case KeywordValue k -> JSON.stringNode(k.name());
            case VectorValue vec -> array(vec.items());
            case ListValue list -> array(list.items());
            case SetValue set -> array(set.items());
            case MapValue map -> object(map);
            default -> throw new IllegalArgumentException("a " + v.typeName() + " has no JSON form");
        };
    }

    private static ArrayNode array(Iterable<Value> items) {
        ArrayNode a = JSON.arrayNode();
        items.forEach(item -> a.add(toJson(item)));
        return a;
    }

    private static ObjectNode object(MapValue map) {
        ObjectNode o = JSON.objectNode();
        for (Map.Entry<Value, Value> e : map.entries().entrySet()) {
            String key = switch (e.getKey()) {
                case KeywordValue k -> k.name();
                case StringValue s -> s.value();
                default -> throw new IllegalArgumentException("a map key must be a keyword or a string, not a "
                        + e.getKey().typeName());
            };
            if (o.has(key)) {
                throw new IllegalArgumentException("the key \"" + key + "\" is written twice (as keyword and string)");
            }
            o.set(key, toJson(e.getValue()));
        }
        return o;
    }
}
