# Network: is there a route off the machine? A UDP connect() only looks the route up and
# sends nothing (this workplace forbids traffic to outside addresses, so nothing is sent).
def f():
    import _socket
    probe = _socket.socket(_socket.AF_INET, _socket.SOCK_DGRAM)
    try:
        probe.connect(('198.51.100.7', 53))
        local = probe.getsockname()[0]
    except OSError as error:
        return 'no route: errno %d' % error.errno
    finally:
        probe.close()
    if not local.startswith('127.'):
        return escaped('route to the outside from %s' % local)
    return 'only loopback'
