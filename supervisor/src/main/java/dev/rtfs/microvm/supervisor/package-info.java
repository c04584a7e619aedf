/**
 * Runs an admitted plan inside a MicroVM: for each step, program the egress proxy with exactly that
 * step's ACL, send the step's calls to the guest, journal the outcome in the causal chain, and put the proxy back
 * to deny-all. Effects sit behind small interfaces ({@link dev.rtfs.microvm.supervisor.GuestCalls},
 * {@link dev.rtfs.microvm.supervisor.EgressSteps}, {@link dev.rtfs.microvm.supervisor.StepJournal}) so the
 * sequencing is tested without a VM; completed steps are never run twice, which is what makes a restart from a
 * clean image safe.
 */
package dev.rtfs.microvm.supervisor;
