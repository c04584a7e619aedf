package dev.rtfs.microvm.vmm.firecracker;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/**
 * Firecracker {@code boot-source} (schema: {@code #/definitions/BootSource}). Firecracker appends
 * {@code root=/dev/vda ro|rw} itself, so {@code boot_args} never carries {@code root=}.
 *
 * @param bootArgs   null when absent (Firecracker then uses its default, which disables the serial console)
 * @param initrdPath null when absent
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BootSource(
        @JsonProperty("kernel_image_path") String kernelImagePath,
        @JsonProperty("boot_args") String bootArgs,
        @JsonProperty("initrd_path") String initrdPath) {

    public BootSource {
        Objects.requireNonNull(kernelImagePath, "kernel_image_path");
    }
}
