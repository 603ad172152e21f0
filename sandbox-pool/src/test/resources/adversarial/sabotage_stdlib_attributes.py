# Sabotage: monkeypatch the standard library that later jobs use (math, json, heapq,
# collections, functools, itertools, operator, string).
import collections
import functools
import heapq
import itertools
import json
import math
import operator
import string

math.pi = 3.0
math.sqrt = lambda value: -1.0
json.dumps = lambda *args, **kwargs: 'FORGED'
json.loads = lambda *args, **kwargs: 'FORGED'
heapq.heappop = lambda heap: 'FORGED'
collections.Counter.most_common = lambda self, n=None: [('FORGED', 1)]
functools.reduce = lambda *args: 'FORGED'
itertools.permutations = lambda *args: iter(['FORGED'])
operator.add = lambda left, right: 'FORGED'
string.ascii_lowercase = 'FORGED'


def f():
    return 'standard library patched'
