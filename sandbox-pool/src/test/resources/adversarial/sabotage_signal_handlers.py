# Sabotage: own the signal handlers and the signal mask of the worker (SIGXFSZ back to its
# default kills the worker on the next oversized write).
import signal


def handler(signum, frame):
    pass


for name in ('SIGINT', 'SIGTERM', 'SIGUSR1', 'SIGPIPE', 'SIGCHLD', 'SIGHUP'):
    signal.signal(getattr(signal, name), handler)
signal.signal(signal.SIGXFSZ, signal.SIG_DFL)
signal.signal(signal.SIGALRM, signal.SIG_IGN)
signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM, signal.SIGUSR2})


def f():
    return 'handlers installed'
