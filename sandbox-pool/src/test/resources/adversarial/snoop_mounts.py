# Snooping: the host's mounts and file systems (/proc/self/mountinfo, /proc/mounts).
def f():
    found = []
    for path in ('/proc/self/mountinfo', '/proc/mounts', '/etc/mtab'):
        try:
            text = read_file(path, 1 << 20).decode('latin-1')
        except OSError:
            continue
        for sign in (' /work', ' /root', ' /etc', ' /home', ' /var'):
            if sign + ' ' in text or sign + '/' in text:
                found.append('%s shows%s' % (path, sign))
                break
    if found:
        return escaped(found)
    return 'no host mount visible'
