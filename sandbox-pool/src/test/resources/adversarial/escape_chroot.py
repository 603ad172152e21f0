# Escape: chroot into a directory we control (the classic first step of a chroot breakout).
SYS_CHROOT = 161


def f():
    import os
    try:
        os.chroot('/tmp')
        return escaped('os.chroot succeeded')
    except OSError:
        pass
    results = []
    for path in ('/tmp', '/', '/usr'):
        code, errno = syscall(SYS_CHROOT, path)
        if code == 0:
            return escaped('chroot(%s) succeeded' % path)
        results.append((path, errno))
    return 'refused %r' % results
