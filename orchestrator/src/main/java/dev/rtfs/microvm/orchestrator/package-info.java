/**
 * Plans, effects, admission and per-step least-privilege profiles.
 *
 * <p>Flow: {@link dev.rtfs.microvm.orchestrator.plan.PlanReader#read(dev.rtfs.microvm.rtfslang.SourceFile)} reads a
 * plan as data → {@link dev.rtfs.microvm.orchestrator.admission.Admission#admit} checks it against the plan
 * envelope and an {@link dev.rtfs.microvm.orchestrator.admission.AgentPolicy} (from the agent config) and reports
 * every problem at once → {@link dev.rtfs.microvm.orchestrator.profile.StepProfiles#derive} gives each step's
 * {@link dev.rtfs.microvm.orchestrator.profile.StepProfile}, whose
 * {@link dev.rtfs.microvm.orchestrator.profile.StepProfile#toAgentAcl(String)} is the document the egress proxy
 * is programmed with while that step runs (and {@code AgentAcl.strictDefaults} between steps).
 * The effects algebra lives in {@code effect}; diagnostic codes in {@link dev.rtfs.microvm.orchestrator.AdmissionCode}.
 */
package dev.rtfs.microvm.orchestrator;
