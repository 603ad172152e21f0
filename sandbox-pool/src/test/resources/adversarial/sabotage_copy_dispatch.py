# Sabotage: the copy module's dispatch table (a dict changed in place) decides how each type is
# deep-copied; make lists deep-copy to a forgery.
import copy

copy._deepcopy_dispatch[list] = lambda value, memo, deepcopy=None: ['FORGED']


def f():
    return 'deepcopy dispatch poisoned'
