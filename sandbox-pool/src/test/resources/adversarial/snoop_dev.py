# Snooping: devices (kernel log, disks, memory, consoles); only the harmless ones may exist.
HARMLESS = {'null', 'zero', 'full', 'random', 'urandom', 'fd', 'stdin', 'stdout', 'stderr', 'shm',
            'pts', 'ptmx', 'tty', 'mqueue', 'core'}


def f():
    import os
    found = []
    try:
        unexpected = sorted(set(os.listdir('/dev')) - HARMLESS)
        if unexpected:
            found.append('devices %r' % unexpected[:8])
    except OSError:
        pass
    for path in ('/dev/kmsg', '/dev/vda', '/dev/sda', '/dev/mem', '/dev/console', '/dev/kvm'):
        try:
            fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
            os.close(fd)
            found.append('opened ' + path)
        except OSError:
            pass
    if found:
        return escaped(found)
    return 'harmless devices only'
