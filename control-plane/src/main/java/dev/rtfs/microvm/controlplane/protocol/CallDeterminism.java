package dev.rtfs.microvm.controlplane.protocol;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * The determinism context of one call, sent by the host in the call's optional {@code det} field: the host decides,
 * the guest computes. {@code seed} (lowercase hex) is present when the step's random is deterministic: every
 * {@code random.int} draw then comes from {@link DeterministicRandom} keyed by it, {@code step} and {@code call};
 * {@code nowMs} is present when the step's time is deterministic: {@code clock.now} answers it instead of the guest
 * clock. At least one of the two is present; a call without either carries no {@code det}.
 */
public record CallDeterminism(Optional<String> seed, int step, int call, OptionalLong nowMs) {

    /** Seeds are the plan's seed text, UTF-8, hex-encoded: at most 64 bytes of text. */
    public static final int MAX_SEED_HEX = 128;
    /** Step and call positions are bounded far above any admitted plan, so sh arithmetic never overflows. */
    public static final int MAX_INDEX = 1_000_000;
    /** 9999-12-31T23:59:59.999Z: a virtual clock stays a plausible epoch time. */
    public static final long MAX_NOW_MS = 253_402_300_799_999L;

    private static final Pattern SEED = Pattern.compile("([0-9a-f]{2})+");

    public CallDeterminism {
        Objects.requireNonNull(seed, "seed");
        Objects.requireNonNull(nowMs, "nowMs");
        problem(seed, step, call, nowMs).ifPresent(p -> {
            throw new IllegalArgumentException(p);
        });
    }

    /** Why these fields do not make a context, or empty; the codec and the constructor share the rule. */
    public static Optional<String> problem(Optional<String> seed, long step, long call, OptionalLong nowMs) {
        if (seed.isEmpty() && nowMs.isEmpty()) return Optional.of("det needs 'seed', 'now_ms' or both");
        if (seed.isPresent() && (seed.get().length() > MAX_SEED_HEX || !SEED.matcher(seed.get()).matches())) {
            return Optional.of("det 'seed' must be 2.." + MAX_SEED_HEX + " lowercase hex digits, an even number");
        }
        if (step < 0 || step > MAX_INDEX) return Optional.of("det 'step' must be 0.." + MAX_INDEX);
        if (call < 0 || call > MAX_INDEX) return Optional.of("det 'call' must be 0.." + MAX_INDEX);
        if (nowMs.isPresent() && (nowMs.getAsLong() < 0 || nowMs.getAsLong() > MAX_NOW_MS)) {
            return Optional.of("det 'now_ms' must be 0.." + MAX_NOW_MS);
        }
        return Optional.empty();
    }

    /** The draws of this call when its random is deterministic. */
    public Optional<DeterministicRandom> random() {
        return seed.map(s -> new DeterministicRandom(s, step, call));
    }
}
