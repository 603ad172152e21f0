# Snooping: the JVM's environment, through os.environ and /proc/<pid>/environ of self, parent,
# the JVM and pid 1. CANARY['jvm_env_names'] lists the names (never the values) the JVM has.
def f():
    import os
    readings = {'os.environ': dict(os.environ)}
    for pid in ('self', str(os.getppid()), str(CANARY['jvm_pid']), '1'):
        try:
            raw = read_file('/proc/%s/environ' % pid).decode('latin-1')
        except OSError:
            continue
        readings[pid] = dict(entry.split('=', 1) for entry in raw.split('\0') if '=' in entry)
    for where, variables in readings.items():
        leaked = sorted(name for name in variables if name in CANARY['jvm_env_names'])
        if leaked:
            return escaped('%s shows the JVM variables %r' % (where, leaked[:8]))
    return 'no JVM variable among %r' % sorted(readings['os.environ'])
