# Sabotage: patch methods of built-in types (str.upper, list.sort) through the real dict behind
# the read-only mappingproxy, which gc.get_referents hands out, then refresh the type cache.
def f():
    import ctypes, gc
    for kind, name, fake in ((str, 'upper', lambda self: 'FORGED'),
                             (list, 'sort', lambda self, **kwargs: self.reverse())):
        gc.get_referents(kind.__dict__)[0][name] = fake
        ctypes.pythonapi.PyType_Modified(ctypes.py_object(kind))
    return 'patched'
