# Network: ask the kernel over netlink for the host's network interfaces (RTM_GETLINK dump).
def f():
    import _socket, struct
    sock = _socket.socket(_socket.AF_NETLINK, _socket.SOCK_RAW, 0)  # NETLINK_ROUTE
    sock.settimeout(1)
    sock.bind((0, 0))
    request = struct.pack('=IHHII', 32, 18, 0x301, 1, 0) + struct.pack('=BxHiII', 0, 0, 0, 0, 0)
    sock.sendto(request, (0, 0))
    reply = sock.recv(65536)
    sock.close()
    names = [name for name in (b'eth0', b'ens', b'enp', b'veth', b'docker', b'wlan') if name in reply]
    if names:
        return escaped('host interfaces %r' % names)
    return 'netlink shows %d bytes, no host interface' % len(reply)
