# Killing the parent: stop the other workers (and the JVM) with SIGSTOP, SIGKILL; signal 0
# first shows whether they are in reach at all.
def f():
    reachable = signalable_foreign_pids()
    if reachable:
        return escaped('may signal pids %r' % reachable[:8])
    return 'no other process in reach'
