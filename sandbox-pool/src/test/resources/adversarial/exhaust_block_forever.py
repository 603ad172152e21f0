# Exhaustion: block forever in select() on a pipe nobody writes, then in pause().
def f():
    import os, select, signal
    reader, writer = os.pipe()
    select.select([reader], [], [])
    signal.pause()
    return 'unblocked'
