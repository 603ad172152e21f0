"""The unsafe in-process baseline of `autodidact bench sandbox`: no isolation whatsoever.

Reads a JSON list of check programs on stdin, exec()s each one in a fresh namespace of this
very process, one after the other, and prints one JSON object: {"seconds": time spent in the
exec loop alone, "passed": [whether each check ran to its end]}. Like CRUXEval's evaluator it
gives each check 3 s (SIGALRM) and discards what the check prints.
"""
import json
import signal
import sys
import time

TIMEOUT_SECONDS = 3.0


class CheckTimedOut(BaseException):
    """Raised into a check that outlives its time limit."""


class Discard:
    def write(self, text):
        return len(text)

    def flush(self):
        pass


def on_alarm(signum, frame):
    raise CheckTimedOut()


def passes(program):
    signal.setitimer(signal.ITIMER_REAL, TIMEOUT_SECONDS)
    try:
        exec(program, {})
        return True
    except BaseException:
        return False
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


def main():
    programs = json.loads(sys.stdin.read())
    signal.signal(signal.SIGALRM, on_alarm)
    out = sys.stdout
    sys.stdout = sys.stderr = Discard()
    start = time.perf_counter()
    passed = [passes(program) for program in programs]
    seconds = time.perf_counter() - start
    json.dump({'seconds': seconds, 'passed': passed}, out)
    out.flush()


if __name__ == '__main__':
    main()
