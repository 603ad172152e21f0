# Killing the parent: close every descriptor (the protocol pipes included), then return.
def f():
    import os
    os.closerange(0, 1 << 16)
    return 'closed everything'
