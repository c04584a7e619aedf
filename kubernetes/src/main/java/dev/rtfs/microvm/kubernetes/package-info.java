/**
 * Kubernetes synthesis: a {@code ValidatedConfig} rendered as manifests for a cluster running Kata Containers
 * (RuntimeClass {@code kata-fc} or {@code kata-qemu}), and the node-local egress proxy that carries its egress.
 */
package dev.rtfs.microvm.kubernetes;
