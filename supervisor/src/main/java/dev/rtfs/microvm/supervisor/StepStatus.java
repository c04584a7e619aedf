package dev.rtfs.microvm.supervisor;

/** How a step of a run ended. */
enum StepStatus {
    /** Every call answered ok. */
    COMPLETED,
    /** A call failed, timed out or could not be sent; later steps do not run. */
    FAILED,
    /** The journal already had it completed (an earlier boot ran it): not run again. */
    ALREADY_DONE,
    /** An earlier step failed. */
    NOT_RUN
}
