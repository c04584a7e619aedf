package dev.rtfs.microvm.orchestrator.plan;

import java.util.ArrayList;
import java.util.List;

/** Lexical path normalization for fs effects: collapses "//" and "." and drops a trailing "/"; keeps "..". */
public final class Paths {

    private Paths() {}

    public static String normalize(String raw) {
        boolean absolute = raw.startsWith("/");
        List<String> parts = new ArrayList<>();
        for (String p : raw.split("/")) {
            if (p.isEmpty() || p.equals(".")) continue;
            parts.add(p);
        }
        String joined = String.join("/", parts);
        return absolute ? "/" + joined : joined;
    }

    /** True when any segment is "..": admission refuses such paths outright. */
    public static boolean hasParentSegment(String path) {
        for (String p : path.split("/")) if (p.equals("..")) return true;
        return false;
    }

    /** {@code path} equals {@code root} or lies below it. */
    public static boolean isUnder(String path, String root) {
        return path.equals(root) || path.startsWith(root + "/");
    }
}
