# Leaving processes behind: fork, start a new session, sleep.
def f():
    import os, time
    try:
        pid = os.fork()
    except OSError as error:
        return 'fork refused: errno %d' % error.errno
    if pid == 0:
        try:
            os.setsid()
            time.sleep(10)
        finally:
            os._exit(0)
    return escaped('forked a session leader %d' % pid)
