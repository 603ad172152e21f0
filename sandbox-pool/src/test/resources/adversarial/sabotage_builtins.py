# Sabotage: replace builtins (len, repr, print, sorted, isinstance) and add a new one.
import builtins

builtins.len = lambda value: -1
builtins.repr = lambda value: 'FORGED'
builtins.print = lambda *args, **kwargs: None
builtins.sorted = lambda value, **kwargs: ['FORGED']
builtins.isinstance = lambda *args: False
builtins.adv_leftover = 'LEFTOVER'


def f():
    return 'builtins replaced'
