package dev.autodidact.sandbox;

/** How a sandbox job ended. */
public enum Status {
    /** The program ran and its value was produced (or the check passed). */
    OK,
    /** The program raised an exception. */
    ERROR,
    /** No reply within the wall-clock timeout: the worker process was killed. */
    TIMEOUT,
    /** The program ran out of its address-space limit. */
    MEMORY,
    /** Printed output or the value's repr exceeded the character cap. */
    OUTPUT_LIMIT,
    /** The job killed a worker process twice (or no worker could be started). */
    CRASHED,
    /** A static or literal check refused the input; the error says why. */
    REJECTED
}
