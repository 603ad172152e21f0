# Killing the parent: SIGKILL the JVM by its pid (given in the program text).
def f():
    import os, signal
    jvm = CANARY['jvm_pid']
    if signalable([jvm]):
        return escaped('may signal the JVM %d' % jvm)
    try:
        os.kill(jvm, signal.SIGKILL)
    except OSError as error:
        return 'refused: errno %d' % error.errno
    return 'kill(%d) returned' % jvm
