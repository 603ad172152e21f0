# Sabotage: put an import hook first on sys.meta_path that hands out fake modules.
import importlib.abc
import importlib.util
import sys


class FakeLoader(importlib.abc.Loader):
    def create_module(self, spec):
        return None

    def exec_module(self, module):
        module.Fraction = lambda *args: 'FORGED'
        module.mean = lambda *args: 'FORGED'


class Hijacker(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name in ('fractions', 'statistics'):
            return importlib.util.spec_from_loader(name, FakeLoader())
        return None


sys.meta_path.insert(0, Hijacker())
for name in ('fractions', 'statistics'):
    sys.modules.pop(name, None)


def f():
    return 'import hook installed'
