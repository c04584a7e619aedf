package dev.rtfs.microvm.rtfslang;

import java.util.List;

/**
 * One arity of a user function: fixed parameter patterns, an optional rest pattern (after {@code &}),
 * and the body forms. Patterns are symbols, or vectors / maps for destructuring.
 */
record ClosureArity(List<Value> params, Value rest, List<Value> body) {
    ClosureArity {
        params = List.copyOf(params);
        body = List.copyOf(body);
    }

    boolean accepts(int argc) {
        return rest == null ? argc == params.size() : argc >= params.size();
    }

    String describe() {
        return rest == null ? Integer.toString(params.size()) : params.size() + " or more";
    }
}
