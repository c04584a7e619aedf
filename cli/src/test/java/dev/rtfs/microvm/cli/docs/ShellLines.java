package dev.rtfs.microvm.cli.docs;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code ./rtfs-microvm …} (or {@code rtfs-microvm …}) commands of a shell block as argument lists, split the way
 * the shell would for the quoting docs use: continuation lines joined, comments dropped, a command ends at
 * {@code | ; && || > <} or the end of the line.
 */
final class ShellLines {
    private ShellLines() {}

    record Command(int lineOffset, List<String> args) {}

    static List<Command> rtfsCommands(String block) {
        List<Command> out = new ArrayList<>();
        String[] lines = block.replace("\\\n", " ").split("\n");
        for (int n = 0; n < lines.length; n++) {
            List<List<String>> commands = split(lines[n]);
            for (List<String> words : commands) {
                int at = words.indexOf("./rtfs-microvm");
                if (at < 0) at = words.indexOf("rtfs-microvm");
                if (at >= 0 && (at == 0 || words.get(at - 1).contains("="))) {
                    out.add(new Command(n, List.copyOf(words.subList(at + 1, words.size()))));
                }
            }
        }
        return out;
    }

    /** Words of each simple command on one line. */
    static List<List<String>> split(String line) {
        List<List<String>> commands = new ArrayList<>();
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        boolean redirect = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\'' || c == '"') {
                int end = line.indexOf(c, i + 1);
                if (end < 0) end = line.length();
                if (word == null) word = new StringBuilder();
                word.append(line, i + 1, end);
                i = end;
            } else if (Character.isWhitespace(c)) {
                if (word != null && !redirect) words.add(word.toString());
                if (word != null) redirect = false;
                word = null;
            } else if (c == '#' && word == null) {
                break;
            } else if (c == '|' || c == ';' || c == '&') {
                if (word != null && !redirect) words.add(word.toString());
                word = null;
                redirect = false;
                if (!words.isEmpty()) commands.add(words);
                words = new ArrayList<>();
            } else if (c == '>' || c == '<') {
                if (word != null && !redirect && !word.toString().matches("\\d+")) words.add(word.toString());
                word = null;
                redirect = true;
            } else {
                if (word == null) word = new StringBuilder();
                word.append(c);
            }
        }
        if (word != null && !redirect) words.add(word.toString());
        if (!words.isEmpty()) commands.add(words);
        return commands;
    }
}
