# Exhaustion: a busy loop that ignores every catchable signal and swallows KeyboardInterrupt.
def f():
    import signal
    for name in ('SIGINT', 'SIGTERM', 'SIGALRM', 'SIGXCPU', 'SIGHUP', 'SIGUSR1', 'SIGVTALRM'):
        try:
            signal.signal(getattr(signal, name), signal.SIG_IGN)
        except (OSError, ValueError, RuntimeError):
            pass
    spins = 0
    while True:
        try:
            while True:
                spins += 1
        except BaseException:
            pass
