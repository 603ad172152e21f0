# Exhaustion: fill /tmp; on a tmpfs every byte is RAM that no address-space limit counts.
def f():
    import os, time
    goal = 2 * CANARY['memory_bytes']
    path = '/tmp/adv-fill-%s' % CANARY['token']
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    except OSError as error:
        return 'cannot create: errno %d' % error.errno
    written = 0
    chunk = b'\0' * (1 << 20)
    started = time.monotonic()
    try:
        while written < goal and time.monotonic() - started < 1.2:
            written += os.write(fd, chunk)
    except OSError:
        pass
    finally:
        os.close(fd)
        try:
            os.unlink(path)
        except OSError:
            pass
    if written >= goal:
        return escaped('wrote %d MiB to /tmp' % (written >> 20))
    return 'stopped at %d MiB' % (written >> 20)
