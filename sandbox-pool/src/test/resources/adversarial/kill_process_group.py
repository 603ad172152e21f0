# Killing the parent: killpg of the JVM's process group and of the worker's own. Signal 0 to
# every known pid first shows whether anything outside the worker is in reach.
def f():
    import os, signal
    reachable = signalable_foreign_pids()
    if reachable:
        return escaped('may signal pids %r' % reachable[:8])
    for group in (CANARY['jvm_pgid'], os.getpgrp()):
        try:
            os.killpg(group, signal.SIGKILL)
        except OSError:
            pass
    return 'survived killpg'
