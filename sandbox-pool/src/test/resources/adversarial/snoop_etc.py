# Snooping: the host's /etc (accounts, password hashes, resolver, host name).
def f():
    found = []
    for path, sign in (('/etc/passwd', b'root:'), ('/etc/shadow', b':'), ('/etc/resolv.conf', b''),
                       ('/etc/hostname', b''), ('/etc/hosts', b'')):
        try:
            content = read_file(path)
        except OSError:
            continue
        if sign in content:
            found.append('%s (%d bytes)' % (path, len(content)))
    if found:
        return escaped(found)
    return 'no /etc'
