/**
 * The verifier's execution layer: untrusted Python runs in warm worker processes, never in
 * the JVM.
 *
 * <p>{@link dev.autodidact.sandbox.SandboxPool} keeps one thread per worker process. A job is
 * one JSON request in a length-prefixed frame to {@code executor.py}, which runs it in a fresh
 * namespace and answers with a status. The JVM owns the wall-clock limit: a worker that does
 * not answer in time is killed and replaced. Workers are also replaced after a fixed number
 * of jobs and after any result that may have left the interpreter dirty.
 *
 * <p>Isolation, in the executor: as root it drops to uid/gid 65534 with no_new_privs (else it
 * tries a user namespace), sets rlimits (address space, CPU, no file data, few descriptors,
 * no new processes), gets a three-variable environment, and keeps the protocol on private
 * descriptors. {@code WorkerLauncher} is the single place where a wrapper such as bubblewrap
 * would plug in.
 *
 * <p>{@link dev.autodidact.sandbox.Verifier} composes the executor's operations (evaluate,
 * check_program, check_args, check_literal, compare) into METHOD.md's task rules. All parsing
 * of programs and answers happens in Python.
 */
package dev.autodidact.sandbox;
