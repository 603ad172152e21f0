# Sabotage: leave signals blocked for whoever comes next (handlers are left alone).
import signal

signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM, signal.SIGUSR2, signal.SIGALRM, signal.SIGINT})


def f():
    return 'signals blocked'
