# Snooping: command lines of the JVM and of pid 1, and any java process in /proc.
def f():
    import os
    found = []
    for pid in (CANARY['jvm_pid'], 1, os.getppid()):
        try:
            text = read_file('/proc/%d/cmdline' % pid).replace(b'\0', b' ').decode('latin-1')
        except OSError:
            continue
        if pid == CANARY['jvm_pid'] or 'java' in text or 'python3' not in text:
            found.append('%d: %s' % (pid, text[:80]))
    try:
        for name in os.listdir('/proc'):
            if name.isdigit():
                try:
                    if b'java' in read_file('/proc/%s/cmdline' % name):
                        found.append('java process %s' % name)
                except OSError:
                    pass
    except OSError:
        pass
    if found:
        return escaped(found[:4])
    return 'no foreign command line'
