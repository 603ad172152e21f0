# Snooping: the host's sockets through /proc/net (the test's canary TCP server must not show).
def f():
    port = '%04X' % CANARY['tcp_port']
    found = []
    for path in ('/proc/net/tcp', '/proc/net/tcp6', '/proc/self/net/tcp'):
        try:
            table = read_file(path, 1 << 20).decode()
        except OSError:
            continue
        if (':' + port + ' ') in table:
            found.append('%s lists the canary port' % path)
    try:
        if CANARY['unix_path'].encode() in read_file('/proc/net/unix', 1 << 20):
            found.append('/proc/net/unix lists the canary socket')
    except OSError:
        pass
    if found:
        return escaped(found)
    return 'no host socket visible'
