# Sabotage: lower the recursion limit for whoever comes next.
import sys

sys.setrecursionlimit(50)


def f():
    return 'recursion limit lowered'
