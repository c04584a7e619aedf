package dev.rtfs.microvm.egresspolicy.decision;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Method-override headers: many web frameworks (Rails, Express method-override, Google APIs, ASP.NET) let
 * {@code POST} with {@code X-HTTP-Method-Override: DELETE} act as a DELETE, which would walk past
 * {@code allow_methods}. The proxy does not strip them (an API may rely on them to send a long query as POST
 * with override GET); it decides every override value like the request line's method and refuses the request
 * ({@code 403 method-override}) when one is not allowed.
 */
public final class MethodOverride {

    /** Header names, lowercase. */
    public static final List<String> HEADERS = List.of("x-http-method-override", "x-http-method", "x-method-override");

    private MethodOverride() {}

    /**
     * Every override value in {@code headers}, uppercased and split at commas (a header may be repeated or list
     * several); an empty value is kept as "" so it is refused rather than ignored.
     */
    public static List<String> values(Iterable<Map.Entry<String, String>> headers) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, String> h : headers) {
            if (HEADERS.contains(h.getKey().toLowerCase(Locale.ROOT))) {
                for (String v : h.getValue().split(",", -1)) {
                    out.add(v.trim().toUpperCase(Locale.ROOT));
                }
            }
        }
        return out;
    }
}
