# Sabotage: the job's value is an object whose __del__ runs after the executor cleaned up, and
# then installs a tracer (and a tiny recursion limit) for the next job.
import sys


class Bomb:
    def __repr__(self):
        return "'planted'"

    def __del__(self):
        def tracer(frame, event, arg):
            if event == 'call' and frame.f_code.co_name == 'f' and 'x' in frame.f_locals:
                frame.f_locals['x'] = 'PWNED'
            return None

        sys.settrace(tracer)
        sys.setrecursionlimit(60)
