package dev.rtfs.microvm.rtfslang;

import java.util.List;

/**
 * A left-aligned text table for terminals: columns padded to their widest cell, two spaces apart, no trailing
 * blanks. Cells usually carry user text (step names, paths), so each goes through {@link PrintableText} first.
 */
public final class TextTable {

    private TextTable() {}

    /** {@code rows.get(0)} is the header; every row has the header's number of cells. */
    public static String render(List<List<String>> rows) {
        List<List<String>> safe = rows.stream().map(r -> r.stream().map(PrintableText::of).toList()).toList();
        int columns = safe.getFirst().size();
        int[] widths = new int[columns];
        for (List<String> r : safe) {
            if (r.size() != columns) {
                throw new IllegalArgumentException("a row has " + r.size() + " cells, the header " + columns);
            }
            for (int i = 0; i < columns; i++) {
                widths[i] = Math.max(widths[i], r.get(i).length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (List<String> r : safe) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < columns; i++) {
                line.append(r.get(i));
                if (i < columns - 1) {
                    line.append(" ".repeat(widths[i] - r.get(i).length() + 2));
                }
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
        return sb.toString();
    }
}
