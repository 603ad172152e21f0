# Sabotage: a garbage-collector callback that replaces len whenever a later job allocates.
import builtins
import gc


def callback(phase, info):
    builtins.len = lambda value: -1


gc.callbacks.append(callback)


def f():
    return 'gc callback installed'
