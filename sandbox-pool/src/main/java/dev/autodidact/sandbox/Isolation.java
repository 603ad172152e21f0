package dev.autodidact.sandbox;

/** The strongest isolation a worker process reached on this host, weakest last. */
public enum Isolation {
    /** Dropped from root to uid/gid 65534 with no_new_privs: cannot read the JVM's /proc files. */
    UNPRIVILEGED_USER,
    /** Not root: moved into a new user namespace, still the JVM's uid underneath. */
    USER_NAMESPACE,
    /** Not root and no user namespace: the worker runs as the JVM's user. */
    NONE
}
