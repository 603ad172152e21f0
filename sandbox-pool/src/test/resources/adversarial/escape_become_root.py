# Escape: get uid 0 or a capability back.
def f():
    import os
    for attempt in (lambda: os.setuid(0), lambda: os.setresuid(0, 0, 0), lambda: os.setgid(0),
                    lambda: os.setgroups([0]), lambda: os.seteuid(0)):
        try:
            attempt()
        except (OSError, AttributeError):
            pass
    if 0 in (os.getuid(), os.geteuid(), os.getgid()) or 0 in os.getgroups():
        return escaped('ids %r' % ((os.getuid(), os.geteuid(), os.getgid(), os.getgroups()),))
    try:
        status = read_file('/proc/self/status').decode()
    except OSError:
        return 'unprivileged, no /proc'
    for line in status.splitlines():
        if line.startswith(('CapEff:', 'CapPrm:')) and int(line.split()[1], 16) != 0:
            return escaped(line)
    return 'unprivileged'
