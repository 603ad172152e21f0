# Sabotage: an audit hook (it can never be removed) that fails every later program.
import sys

seen = {'exec': 0}


def hook(event, args):
    if event == 'exec':
        seen['exec'] += 1
        if seen['exec'] > 1:
            raise RuntimeError('PWNED by a leftover audit hook')


sys.addaudithook(hook)


def f():
    return 'audit hook installed'
