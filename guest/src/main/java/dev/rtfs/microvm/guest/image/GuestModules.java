package dev.rtfs.microvm.guest.image;

import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The modules a guest's initramfs carries: the closure of what it needs ({@link GuestKernelNeeds}) in the packed
 * kernel's load order, each file read and checked against the kernel release. Everything that can be wrong with
 * the kernel's modules is found by {@link #resolve}, before an image is written.
 *
 * @param kernelRelease the kernel these modules are for
 * @param order         the closure in load order, built-in modules marked (they load nothing)
 * @param contents      module name to uncompressed .ko bytes, for every module that is not built in
 */
public record GuestModules(String kernelRelease, List<GuestModule> order, Map<String, byte[]> contents) {

    private static final Logger LOG = LoggerFactory.getLogger(GuestModules.class);

    public GuestModules {
        Objects.requireNonNull(kernelRelease);
        order = List.copyOf(order);
        contents = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(contents));
        for (GuestModule m : order) {
            if (m.isBuiltIn() == contents.containsKey(m.name())) {
                throw new IllegalArgumentException("module " + m.name() + ": contents exactly for the loadable ones");
            }
        }
    }

    /** No modules (a guest that needs no devices, e.g. the KVM probe). */
    public static GuestModules none() {
        return new GuestModules("", List.of(), Map.of());
    }

    /** The closure of {@code roots} from {@code modulesDir}'s modules.dep, read and checked for {@code kernelRelease}. */
    public static GuestModules resolve(Path modulesDir, String kernelRelease, Collection<String> roots)
            throws KernelInputException {
        List<GuestModule> order = ModuleDependencies.read(modulesDir).closure(roots);
        KernelModules files = new KernelModules(modulesDir, kernelRelease);
        Map<String, byte[]> contents = new LinkedHashMap<>();
        for (GuestModule m : order) {
            if (!m.isBuiltIn()) contents.put(m.name(), files.load(m));
        }
        LOG.debug("kernel {}: {} modules for {} ({})", kernelRelease, order.size(), roots, order);
        return new GuestModules(kernelRelease, order, contents);
    }

    /** The guest's closure ({@link GuestKernelNeeds#roots()}) for this kernel. */
    public static GuestModules forMicrovm(Path modulesDir, String kernelRelease) throws KernelInputException {
        return resolve(modulesDir, kernelRelease, GuestKernelNeeds.roots());
    }

    /** The modules the initramfs loads, in order. */
    public List<String> loaded() {
        return order.stream().filter(m -> !m.isBuiltIn()).map(GuestModule::name).toList();
    }

    /** The needed modules that are in the kernel itself. */
    public List<String> builtIn() {
        return order.stream().filter(GuestModule::isBuiltIn).map(GuestModule::name).toList();
    }
}
