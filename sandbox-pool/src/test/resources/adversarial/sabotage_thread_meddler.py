# Sabotage: a thread that outlives the job and keeps replacing len.
import builtins
import threading
import time


def meddle():
    while True:
        builtins.len = lambda value: -1
        time.sleep(0.001)


started = []
try:
    threading.Thread(target=meddle, daemon=True).start()
    started.append('threading')
except RuntimeError:
    pass
try:
    import _thread
    _thread.start_new_thread(meddle, ())
    started.append('_thread')
except RuntimeError:
    pass


def f():
    return escaped('meddling threads %r' % started) if started else 'no thread'
