# Sabotage: global trace and profile functions (for this and new threads) that change the
# argument `x` of every later function f to 'PWNED'.
import sys
import threading


def tracer(frame, event, arg):
    if event == 'call' and frame.f_code.co_name == 'f' and 'x' in frame.f_locals:
        frame.f_locals['x'] = 'PWNED'
    return None


def profiler(frame, event, arg):
    return None


sys.settrace(tracer)
sys.setprofile(profiler)
threading.settrace(tracer)
threading.setprofile(profiler)


def f():
    return 'tracing'
