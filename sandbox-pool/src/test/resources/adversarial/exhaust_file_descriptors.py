# Exhaustion: take every file descriptor and keep them (raw fds are never closed for us).
def f():
    import os
    taken = []
    while len(taken) < 1 << 20:
        try:
            taken.append(os.dup(0))
        except OSError:
            try:
                taken.extend(os.pipe())
            except OSError:
                break
    if len(taken) > 4096:
        return escaped('%d descriptors' % len(taken))
    return 'stopped at %d descriptors' % len(taken)
