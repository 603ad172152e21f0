# Sabotage: patch methods of standard-library classes (setting a class attribute raises no
# audit event, and no module namespace changes).
import collections
import fractions
import string

collections.Counter.most_common = lambda self, n=None: [('FORGED', 1)]
fractions.Fraction.__add__ = lambda self, other: 'FORGED'
string.Template.substitute = lambda self, *args, **kwargs: 'FORGED'


def f():
    return 'classes patched'
