# Sabotage: an import hook first on sys.meta_path (a list changed in place) that fakes modules
# no job has imported yet; nothing is imported now, so the set of loaded modules is unchanged.
import sys

ModuleSpec = sys.modules['_frozen_importlib'].ModuleSpec


class FakeLoader:
    def create_module(self, spec):
        return None

    def exec_module(self, module):
        module.escape = lambda *args, **kwargs: 'FORGED'
        module.isleap = lambda *args: 'FORGED'


class Hijacker:
    def find_spec(self, name, path=None, target=None):
        if name in ('html', 'calendar'):
            return ModuleSpec(name, FakeLoader())
        return None


sys.meta_path.insert(0, Hijacker())


def f():
    return 'import hook installed'
