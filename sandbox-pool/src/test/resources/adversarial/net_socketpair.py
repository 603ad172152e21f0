# Network: socketpair (the sandbox is to forbid every socket, local pairs included).
def f():
    import _socket
    left, right = _socket.socketpair()
    left.send(b'ping')
    echoed = right.recv(4)
    left.close()
    right.close()
    return escaped('socketpair works: %r' % echoed)
