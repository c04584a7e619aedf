package dev.rtfs.microvm.rtfslang;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Seeded generator of RTFS data values (everything the printer must round-trip), for round-trip and fuzz tests. */
final class RandomValues {

    private static final String SYMBOL_START = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ./-_?!*+=<>%$@&";
    private static final String CONSTITUENT = SYMBOL_START + "0123456789:";
    private static final String[] UNICODE_LETTERS = {"é", "ж", "Ω", "漢", "\uD835\uDCB3" /* 𝒳, a letter outside the BMP */};
    private static final String[] STRING_PIECES = {
        "a", "Z", " ", "\"", "\\", "\n", "\t", "\r", "\u0000", "\u0001", "\u001f", "\u007f", "é", "漢",
        "\uD83D\uDE00", "\uD800", "\uDC00", "\u202e", "\u2066", "\u0085", "\u009b", "\u2028", "\uFEFF", "\uDB40\uDC01", ";", "#|", "|#", "#_", "(", "]", "}", "\\u0041", "\\q", ":", "^", ","
    };

    private final SplittableRandom random;

    RandomValues(SplittableRandom random) {
        this.random = random;
    }

    Value value(int depth) {
        int kind = random.nextInt(depth <= 0 ? 7 : 12);
        Value v = switch (kind) {
            case 0 -> NilValue.NIL;
            case 1 -> BoolValue.of(random.nextBoolean());
            case 2 -> IntValue.of(integer());
            case 3 -> FloatValue.of(floating());
            case 4 -> StringValue.of(string());
            case 5 -> KeywordValue.of(name(true));
            case 6 -> SymbolValue.of(symbolName());
            case 7 -> ListValue.of(items(depth));
            case 8 -> VectorValue.of(items(depth));
            case 9, 10 -> MapValue.of(entries(depth));
            default -> SetValue.of(new LinkedHashSet<>(items(depth)));
        };
        if (random.nextInt(10) == 0) v = v.withMeta(MapValue.of(entries(Math.min(depth, 1))));
        return v;
    }

    long integer() {
        return switch (random.nextInt(6)) {
            case 0 -> Long.MAX_VALUE;
            case 1 -> Long.MIN_VALUE;
            case 2 -> random.nextLong();
            case 3 -> random.nextInt(-10, 10);
            default -> random.nextInt();
        };
    }

    double floating() {
        return switch (random.nextInt(8)) {
            case 0 -> Double.NaN;
            case 1 -> random.nextBoolean() ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
            case 2 -> random.nextBoolean() ? 0.0 : -0.0;
            case 3 -> Double.longBitsToDouble(random.nextLong()); // any bit pattern: subnormals, huge, NaNs
            case 4 -> random.nextInt(-1000, 1000);
            case 5 -> random.nextBoolean() ? Double.MIN_VALUE : Double.MAX_VALUE;
            default -> random.nextDouble(-1e6, 1e6);
        };
    }

    String string() {
        StringBuilder sb = new StringBuilder();
        int n = random.nextInt(12);
        for (int i = 0; i < n; i++) {
            if (random.nextInt(3) == 0) sb.append(STRING_PIECES[random.nextInt(STRING_PIECES.length)]);
            else sb.append((char) random.nextInt(0x20, 0x7f));
        }
        return sb.toString();
    }

    /** A valid symbol name that does not read as nil/true/false or as a number. */
    String symbolName() {
        while (true) {
            String s = name(false);
            if (s.equals("nil") || s.equals("true") || s.equals("false")) continue;
            if ((s.charAt(0) == '+' || s.charAt(0) == '-') && s.length() > 1 && Character.isDigit(s.charAt(1))) continue;
            return s;
        }
    }

    /** Name chars; keywords may start with a digit, ':' never first or last. */
    String name(boolean keyword) {
        StringBuilder sb = new StringBuilder();
        if (random.nextInt(12) == 0) sb.append(UNICODE_LETTERS[random.nextInt(UNICODE_LETTERS.length)]);
        else {
            String first = keyword ? SYMBOL_START + "0123456789" : SYMBOL_START;
            sb.append(first.charAt(random.nextInt(first.length())));
        }
        int n = random.nextInt(10);
        for (int i = 0; i < n; i++) {
            if (random.nextInt(15) == 0) sb.append(UNICODE_LETTERS[random.nextInt(UNICODE_LETTERS.length)]);
            else sb.append(CONSTITUENT.charAt(random.nextInt(CONSTITUENT.length())));
        }
        while (sb.charAt(sb.length() - 1) == ':') sb.setLength(sb.length() - 1);
        if (sb.isEmpty()) sb.append('x');
        return sb.toString();
    }

    private List<Value> items(int depth) {
        int n = random.nextInt(5);
        List<Value> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) out.add(value(depth - 1));
        return out;
    }

    private Map<Value, Value> entries(int depth) {
        int n = random.nextInt(5);
        Map<Value, Value> out = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            Value key = random.nextInt(3) == 0 ? value(depth - 1) : KeywordValue.of(name(true));
            out.put(key, value(depth - 1));
        }
        return out;
    }

    /** Valid RTFS source: several printed values, with comments, discards and commas mixed in. */
    String validSource(int forms) {
        StringBuilder sb = new StringBuilder();
        if (random.nextBoolean()) sb.append(";; generated\n");
        for (int i = 0; i < forms; i++) {
            String printed = random.nextInt(4) == 0 ? RtfsPrinter.pretty(value(4)) : RtfsPrinter.print(value(4));
            sb.append(printed);
            switch (random.nextInt(6)) {
                case 0 -> sb.append(" ; trailing comment\n");
                case 1 -> sb.append(" #| block |# ");
                case 2 -> sb.append(" #_ ").append(RtfsPrinter.print(value(2))).append(' ');
                case 3 -> sb.append(",\r\n");
                default -> sb.append('\n');
            }
        }
        return sb.toString();
    }
}
