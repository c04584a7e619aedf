package dev.rtfs.microvm.agentconfig.model;

import dev.rtfs.microvm.rtfslang.Span;
import java.util.Objects;
import java.util.Optional;

/**
 * One entry of {@code :network.egress.credentials {"api.example.com" [{:header "Authorization" :env "API_TOKEN"
 * :prefix "Bearer "}]}}: a header the proxy injects for that domain, and where on the host its value comes from
 * ({@code :env} or {@code :file}). A reference only: the model never holds a secret, and an inline {@code :value}
 * is kept as its position alone, so that it can be refused without being copied anywhere.
 *
 * @param inlineValue where a refused {@code :value} was written, if it was
 */
public record CredentialRef(Located<String> domain, Optional<Located<String>> header, Optional<Located<String>> env,
        Optional<Located<String>> file, Optional<Located<String>> prefix, Optional<Span> inlineValue, Span span) {
    public CredentialRef {
        Objects.requireNonNull(domain);
        Objects.requireNonNull(header);
        Objects.requireNonNull(env);
        Objects.requireNonNull(file);
        Objects.requireNonNull(prefix);
        Objects.requireNonNull(inlineValue);
        Objects.requireNonNull(span);
    }
}
