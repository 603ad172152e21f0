# Network: send UDP datagrams to the test's UDP socket on 127.0.0.1.
def f():
    import _socket
    sender = _socket.socket(_socket.AF_INET, _socket.SOCK_DGRAM)
    sent = sender.sendto(('udp-beacon ' + CANARY['token']).encode(), ('127.0.0.1', CANARY['udp_port']))
    sender.close()
    return escaped('sent %d bytes' % sent)
