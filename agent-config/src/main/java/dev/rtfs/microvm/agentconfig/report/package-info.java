/**
 * Reports and their renderers, shared by every command that prints diagnostics: {@link
 * dev.rtfs.microvm.agentconfig.report.FileReport}, {@link dev.rtfs.microvm.agentconfig.report.CheckReport} and {@link
 * dev.rtfs.microvm.agentconfig.report.ReportFormat} (text, JSON, SARIF 2.1.0).
 */
package dev.rtfs.microvm.agentconfig.report;
