# Leaving processes behind: os.posix_spawn a sleeping process in its own session.
def f():
    import os
    try:
        pid = os.posix_spawn('/usr/bin/sleep', ['sleep', '10'], {}, setsid=True)
    except OSError as error:
        return 'posix_spawn refused: errno %d' % error.errno
    return escaped('spawned %d' % pid)
