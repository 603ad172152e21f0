# Exhaustion: the program SIGKILLs its own thread (the worker) with signal.pthread_kill.
def f():
    import signal, threading
    signal.pthread_kill(threading.get_ident(), signal.SIGKILL)
    return 'survived'
