# Killing the parent: SIGKILL os.getppid(). When the parent is the JVM, signal 0 first proves
# whether the kill would land, so a failure is reported without taking the test down.
def f():
    import os, signal
    parent = os.getppid()
    if parent == CANARY['jvm_pid']:
        if signalable([parent]):
            return escaped('may signal its parent, the JVM %d' % parent)
    elif parent <= 1:
        return 'parent outside the pid namespace (%d)' % parent
    try:
        os.kill(parent, signal.SIGKILL)
    except OSError as error:
        return 'refused: errno %d' % error.errno
    return 'killed its own parent %d inside the sandbox' % parent
