package dev.rtfs.microvm.orchestrator.effect;

import java.util.Objects;

/** {@code [:fs {:paths [...] :modes [:read :write :append]}]}; paths are absolute and normalized. */
public record FsEffect(ParamSet<String> paths, ParamSet<FsMode> modes) implements Effect {

    public FsEffect {
        Objects.requireNonNull(paths);
        Objects.requireNonNull(modes);
    }

    @Override public EffectKind kind() { return EffectKind.FS; }

    @Override
    public boolean within(Effect other) {
        return other instanceof FsEffect o
                && paths.within(o.paths, Covering.PATHS)
                && modes.within(o.modes, Covering.equality());
    }

    @Override
    public Effect intersect(Effect other) {
        requireSameKind(other);
        FsEffect o = (FsEffect) other;
        return new FsEffect(paths.intersect(o.paths, Covering.PATHS), modes.intersect(o.modes, Covering.equality()));
    }

    @Override
    public Effect union(Effect other) {
        requireSameKind(other);
        FsEffect o = (FsEffect) other;
        return new FsEffect(paths.union(o.paths, Covering.PATHS), modes.union(o.modes, Covering.equality()));
    }

    @Override public boolean isEmpty() { return !emptyParameter().isEmpty(); }

    @Override
    public String emptyParameter() {
        if (paths.isEmpty()) return "paths";
        if (modes.isEmpty()) return "modes";
        return "";
    }

    /** True when the effect may write or append (anything but read-only). */
    public boolean mayWrite() {
        return modes.unconstrained() || modes.values().stream().anyMatch(m -> m != FsMode.READ);
    }
}
