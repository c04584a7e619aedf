/**
 * User capabilities: the package format ({@code DIR/<id>/capability.rtfs} and its executable), manifests read and
 * validated with positioned diagnostics ({@link dev.rtfs.microvm.orchestrator.capability.CapabilityPackages}), and
 * the catalog admission checks calls against ({@link dev.rtfs.microvm.orchestrator.capability.CapabilityCatalog}).
 */
package dev.rtfs.microvm.orchestrator.capability;
