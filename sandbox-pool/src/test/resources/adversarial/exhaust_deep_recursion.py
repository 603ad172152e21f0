# Exhaustion: deep Python recursion past any sane limit, then C-level recursion (repr of a
# deeply nested list) that overflows the C stack.
def f():
    import sys
    sys.setrecursionlimit(100000)

    def down(depth):
        return down(depth + 1) + 1

    try:
        down(0)
    except (RecursionError, MemoryError, SystemError):
        pass
    sys.setrecursionlimit(10 ** 8)
    nested = []
    for _ in range(300000):
        nested = [nested]
    return len(repr(nested))
