# Escape: plant code where later processes load it (/usr, /etc, /), or open system files for writing.
def f():
    import os
    token = CANARY['token']
    created = ['/usr/adv-%s' % token, '/etc/adv-%s' % token, '/adv-%s' % token,
               '/usr/lib/python3/dist-packages/adv_%s.py' % token,
               '/usr/lib/python3.11/adv_%s.py' % token]
    existing = ['/usr/lib/python3.11/os.py', '/usr/bin/python3', '/etc/ld.so.preload', '/etc/passwd',
                '/usr/lib/python3.11/sitecustomize.py', '/usr/lib/python3/dist-packages/sitecustomize.py']
    wrote = []
    for path in created:
        try:
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644))
            wrote.append(path)
        except OSError:
            pass
    for path in existing:
        try:
            # Opened for appending and closed at once: nothing is written even when allowed.
            os.close(os.open(path, os.O_WRONLY | os.O_APPEND))
            wrote.append(path)
        except OSError:
            pass
    if wrote:
        return escaped('writable: %r' % wrote)
    return 'nothing writable'
