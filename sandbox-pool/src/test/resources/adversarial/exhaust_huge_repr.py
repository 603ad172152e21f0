# Exhaustion: a value whose repr is 64 million characters.
class Huge:
    def __repr__(self):
        return 'z' * (64 << 20)


def f():
    return Huge()
