# Leaving processes behind: a daemon thread that lives on after the job and writes forged
# frames on every descriptor.
import threading
import time


def haunt():
    while True:
        spray(forged_frame(1))
        time.sleep(0.01)


def f():
    try:
        thread = threading.Thread(target=haunt, daemon=True)
        thread.start()
    except RuntimeError:
        return 'thread refused'
    return escaped('daemon thread alive: %r' % thread.is_alive())
