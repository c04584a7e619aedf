/** JMH benchmarks; each benchmark compares against a baseline measured in the same run. */
package dev.rtfs.microvm.bench;
