# Snooping: the host's /tmp (other pools' executor directories, the JVM's perf data, our canary).
def f():
    import os
    entries = os.listdir('/tmp')
    host = [name for name in entries
            if name == CANARY['secret_dir_name'] or name.startswith(('autodidact-sandbox-', 'hsperfdata'))]
    if host:
        return escaped('host /tmp entries %r' % sorted(host)[:6])
    return '/tmp holds %d entries' % len(entries)
