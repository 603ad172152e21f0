# Exhaustion: print far past the output cap, swallowing the exception that signals the cap.
def f():
    import sys
    chunk = 'x' * 65536
    for _ in range(400):
        try:
            sys.stdout.write(chunk)
        except BaseException:
            pass
    for _ in range(20000):
        try:
            print('y' * 100)
        except BaseException:
            pass
    return 'printed'
