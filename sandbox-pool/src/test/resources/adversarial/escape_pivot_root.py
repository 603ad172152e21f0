# Escape: pivot_root to swap the root file system for one we chose.
SYS_PIVOT_ROOT = 155


def f():
    refused = []
    for new_root, put_old in ((b'/tmp', b'/tmp'), (b'/', b'/'), (b'.', b'.')):
        code, errno = syscall(SYS_PIVOT_ROOT, new_root, put_old)
        if code == 0:
            return escaped('pivot_root(%s) succeeded' % new_root.decode())
        refused.append(errno)
    return 'refused %r' % refused
