# Leaving processes behind: a raw clone(2) through ctypes, past Python's own fork checks.
SYS_CLONE = 56
SIGCHLD = 17


def f():
    import os, time
    pid, errno = syscall(SYS_CLONE, SIGCHLD, 0, 0, 0, 0)
    if pid == 0:
        try:
            os.setsid()
            time.sleep(10)
        finally:
            os._exit(0)
    if pid > 0:
        return escaped('cloned %d' % pid)
    return 'clone refused: errno %d' % errno
