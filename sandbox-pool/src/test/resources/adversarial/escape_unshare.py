# Escape: create new namespaces (a user namespace grants every capability inside it).
SYS_UNSHARE = 272
FLAGS = {
    'user': 0x10000000, 'mount': 0x00020000, 'net': 0x40000000, 'pid': 0x20000000,
    'ipc': 0x08000000, 'uts': 0x04000000, 'cgroup': 0x02000000, 'user+mount': 0x10020000,
}


def f():
    refused = []
    for name, flags in FLAGS.items():
        code, errno = syscall(SYS_UNSHARE, flags)
        if code == 0:
            return escaped('unshare(%s) succeeded' % name)
        refused.append((name, errno))
    return 'refused %r' % refused
