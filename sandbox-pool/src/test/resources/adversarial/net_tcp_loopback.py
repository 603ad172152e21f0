# Network: connect to the test's TCP server on 127.0.0.1 and send the token. Through _socket,
# the C module: `import socket` may be refused in Python before the kernel is even asked.
def f():
    import _socket
    connection = _socket.socket(_socket.AF_INET, _socket.SOCK_STREAM)
    connection.settimeout(1)
    connection.connect(('127.0.0.1', CANARY['tcp_port']))
    connection.send(('tcp-beacon ' + CANARY['token']).encode())
    connection.close()
    return escaped('connected to 127.0.0.1:%d' % CANARY['tcp_port'])
