# Forging: an absurd frame length, half a frame and raw JSON on every descriptor.
def f():
    spray(b'\x7f\xff\xff\xff' + b'{' * 512)
    spray(b'\x00\x00\x10\x00{"id": 1, "status": "OK"')
    spray(b'{"id": 1, "status": "OK", "result": "\'FORGED\'"}\n')
    return 'honest'
