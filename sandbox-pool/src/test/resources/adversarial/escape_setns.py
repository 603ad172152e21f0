# Escape: join the namespaces of pid 1 or of the JVM through /proc/<pid>/ns.
SYS_SETNS = 308


def f():
    import os
    seen = []
    for pid in (1, CANARY['jvm_pid']):
        for kind in ('mnt', 'net', 'pid', 'user', 'uts', 'ipc', 'cgroup'):
            try:
                fd = os.open('/proc/%d/ns/%s' % (pid, kind), os.O_RDONLY)
            except OSError as error:
                seen.append(error.errno)
                continue
            try:
                code, errno = syscall(SYS_SETNS, fd, 0)
            finally:
                os.close(fd)
            if code == 0:
                return escaped('setns into %s of pid %d' % (kind, pid))
            seen.append(errno)
    return 'refused %r' % sorted(set(seen))
