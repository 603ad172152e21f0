# Escape: mount file systems (a fresh proc, a writable tmpfs over /usr, a rw remount of /).
SYS_MOUNT = 165
MS_REMOUNT, MS_BIND = 32, 4096


def f():
    import os
    attempts = [
        (b'proc', b'/tmp', b'proc', 0),
        (b'none', b'/tmp', b'tmpfs', 0),
        (b'none', b'/usr', b'tmpfs', 0),
        (b'none', b'/', b'', MS_REMOUNT | MS_BIND),
        (b'/usr', b'/tmp', b'', MS_BIND),
    ]
    refused = []
    for source, target, kind, flags in attempts:
        code, errno = syscall(SYS_MOUNT, source, target, kind or 0, flags, 0)
        if code == 0:
            return escaped('mount %s on %s succeeded' % (kind or source, target))
        refused.append(errno)
    return 'refused %r' % refused
