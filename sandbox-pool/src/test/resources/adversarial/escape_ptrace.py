# Escape: ptrace the parent, the JVM or the other workers (PTRACE_SEIZE does not stop them).
SYS_PTRACE = 101
PTRACE_SEIZE, PTRACE_DETACH = 0x4206, 17


def f():
    import os
    targets = [os.getppid()] + foreign_pids()
    attached = []
    for pid in targets:
        code, errno = syscall(SYS_PTRACE, PTRACE_SEIZE, pid, 0, 0)
        if code == 0:
            syscall(SYS_PTRACE, PTRACE_DETACH, pid, 0, 0)
            attached.append(pid)
    if attached:
        return escaped('ptrace-seized %r' % attached)
    return 'no ptrace target among %d pids' % len(targets)
