# Sabotage: a repeating timer whose handler raises inside every later program, while staying
# quiet in the executor's own frames so that the worker looks healthy.
import signal

ADV_BOMB_OWNER = True


def strike(signum, frame):
    # A program's namespace is the only one without __file__ (frame.f_code would be audited).
    while frame is not None:
        if '__file__' not in frame.f_globals and 'ADV_BOMB_OWNER' not in frame.f_globals:
            raise RuntimeError('PWNED by a leftover timer')
        frame = frame.f_back


signal.signal(signal.SIGALRM, strike)
signal.setitimer(signal.ITIMER_REAL, 0.05, 0.05)


def f():
    return 'timer armed'
