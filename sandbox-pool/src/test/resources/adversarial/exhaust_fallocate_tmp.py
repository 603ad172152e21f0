# Exhaustion: reserve twice the memory limit in /tmp at once with posix_fallocate.
def f():
    import os
    size = 2 * CANARY['memory_bytes']
    path = '/tmp/adv-falloc-%s' % CANARY['token']
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    except OSError as error:
        return 'cannot create: errno %d' % error.errno
    try:
        os.posix_fallocate(fd, 0, size)
        allocated = os.fstat(fd).st_blocks * 512
    except OSError as error:
        return 'refused: errno %d' % error.errno
    finally:
        os.close(fd)
        try:
            os.unlink(path)
        except OSError:
            pass
    if allocated >= size:
        return escaped('allocated %d MiB in /tmp' % (allocated >> 20))
    return 'allocated only %d MiB' % (allocated >> 20)
