# Exhaustion: a (bounded) fork bomb; every child that exists proves the pool let it happen.
def f():
    import os, time
    children = 0
    for _ in range(64):
        try:
            pid = os.fork()
        except OSError:
            break
        if pid == 0:
            try:
                time.sleep(3)
            finally:
                os._exit(0)
        children += 1
    if children:
        return escaped('forked %d children' % children)
    return 'fork refused'
