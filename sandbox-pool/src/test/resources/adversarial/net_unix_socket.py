# Network: connect to a Unix socket (mode 0777) the test listens on outside the sandbox.
def f():
    import _socket
    client = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)
    client.settimeout(1)
    client.connect(CANARY['unix_path'])
    client.send(('unix-beacon ' + CANARY['token']).encode())
    client.close()
    return escaped('connected to ' + CANARY['unix_path'])
