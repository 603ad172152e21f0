# Network: raw and packet sockets (forge any packet, sniff the host's traffic).
def f():
    import _socket
    opened = []
    for family, kind, proto, name in ((_socket.AF_INET, _socket.SOCK_RAW, _socket.IPPROTO_ICMP, 'raw icmp'),
                                      (_socket.AF_INET, _socket.SOCK_RAW, _socket.IPPROTO_TCP, 'raw tcp'),
                                      (getattr(_socket, 'AF_PACKET', 17), _socket.SOCK_RAW, 0x0300, 'packet')):
        try:
            _socket.socket(family, kind, proto).close()
            opened.append(name)
        except OSError:
            pass
    if opened:
        return escaped('opened %r' % opened)
    return 'no raw socket'
