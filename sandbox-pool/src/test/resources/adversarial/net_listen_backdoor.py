# Network: listen on 127.0.0.1 and keep the socket open after the job, as a backdoor the
# test then tries to reach from outside.
import _socket
import math


def f():
    server = _socket.socket(_socket.AF_INET, _socket.SOCK_STREAM)
    server.bind(('127.0.0.1', 0))
    server.listen(8)
    math.adv_backdoor = server
    return 'LISTENING:%d' % server.getsockname()[1]
