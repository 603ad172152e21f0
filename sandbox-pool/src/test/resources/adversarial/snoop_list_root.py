# Snooping: the host's root directory; only /usr (and what Python needs) may be there.
HOST_ONLY = {'etc', 'root', 'home', 'var', 'work', 'boot', 'proc', 'sys', 'opt', 'srv', 'mnt',
             'media', 'run', 'old_root', 'farm', 'lost+found'}


def f():
    import os
    entries = set(os.listdir('/'))
    visible = sorted(entries & HOST_ONLY)
    if visible:
        return escaped('host directories %r' % visible)
    return 'root holds %r' % sorted(entries)
