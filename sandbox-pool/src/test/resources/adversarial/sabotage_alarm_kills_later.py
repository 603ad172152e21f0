# Sabotage: SIGALRM back to its default action and an alarm in one second: the worker dies in
# the middle of some later job.
import signal

signal.signal(signal.SIGALRM, signal.SIG_DFL)
signal.alarm(1)


def f():
    return 'alarm set'
