package dev.rtfs.microvm.supervisor;

/** Gets each {@link RunEvent} of a run as it happens, on the supervisor's thread (so: quick, no blocking). */
@FunctionalInterface
public interface RunListener {

    RunListener NONE = e -> { };

    void on(RunEvent event);
}
