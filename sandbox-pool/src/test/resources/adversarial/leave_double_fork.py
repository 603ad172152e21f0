# Leaving processes behind: the classic daemon double fork; the grandchild is an orphan.
def f():
    import os, time
    try:
        child = os.fork()
    except OSError as error:
        return 'fork refused: errno %d' % error.errno
    if child == 0:
        try:
            if os.fork() == 0:
                os.setsid()
                time.sleep(10)
        finally:
            os._exit(0)
    os.waitpid(child, 0)
    return escaped('double-forked via %d' % child)
