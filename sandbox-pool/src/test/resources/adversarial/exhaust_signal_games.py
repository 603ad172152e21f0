# Exhaustion: a SIGALRM handler that re-arms itself every millisecond, most signals blocked,
# the CPU-time signal ignored, and a busy loop.
import signal


def rearm(signum, frame):
    signal.setitimer(signal.ITIMER_REAL, 0.001)


def f():
    signal.signal(signal.SIGALRM, rearm)
    for name in ('SIGXCPU', 'SIGTERM', 'SIGINT', 'SIGHUP'):
        signal.signal(getattr(signal, name), signal.SIG_IGN)
    signal.setitimer(signal.ITIMER_REAL, 0.001)
    blockable = set(signal.Signals) - {signal.SIGKILL, signal.SIGSTOP, signal.SIGALRM}
    signal.pthread_sigmask(signal.SIG_BLOCK, blockable)
    while True:
        pass
