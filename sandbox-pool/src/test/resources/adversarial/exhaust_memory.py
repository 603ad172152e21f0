# Exhaustion: touch memory 64 MiB at a time until twice the worker's limit is held.
def f():
    goal = 2 * CANARY['memory_bytes']
    hoard = []
    held = 0
    try:
        while held < goal:
            hoard.append(b'x' * (64 << 20))
            held += 64 << 20
    except MemoryError:
        hoard.clear()
        return 'stopped at %d MiB' % (held >> 20)
    return escaped('held %d MiB' % (held >> 20))
