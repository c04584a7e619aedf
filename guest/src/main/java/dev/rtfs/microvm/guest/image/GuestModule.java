package dev.rtfs.microvm.guest.image;

import java.util.Objects;
import java.util.Optional;

/**
 * One module of the guest's closure.
 *
 * @param name normalized module name ('-' read as '_', as the kernel does): {@code virtio_rng}
 * @param file its file relative to the modules directory, from modules.dep ({@code kernel/drivers/...ko[.xz|.zst]});
 *             empty when the module is built into the kernel (listed in modules.builtin): nothing to load
 */
public record GuestModule(String name, Optional<String> file) {

    public GuestModule {
        Objects.requireNonNull(name);
        Objects.requireNonNull(file);
    }

    public static GuestModule builtIn(String name) {
        return new GuestModule(name, Optional.empty());
    }

    public static GuestModule loadable(String name, String file) {
        return new GuestModule(name, Optional.of(file));
    }

    public boolean isBuiltIn() {
        return file.isEmpty();
    }
}
