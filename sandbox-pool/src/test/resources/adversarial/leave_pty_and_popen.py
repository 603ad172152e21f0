# Leaving processes behind: os.forkpty, and subprocess.Popen in a new session.
def f():
    import os, subprocess, time
    started = []
    try:
        pid, fd = os.forkpty()
        if pid == 0:
            try:
                time.sleep(10)
            finally:
                os._exit(0)
        started.append(pid)
    except OSError:
        pass
    try:
        started.append(subprocess.Popen(['/usr/bin/sleep', '10'], start_new_session=True).pid)
    except OSError:
        pass
    if started:
        return escaped('started %r' % started)
    return 'nothing started'
