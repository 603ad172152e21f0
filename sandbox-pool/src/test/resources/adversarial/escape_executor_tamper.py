# Escape: rewrite the executor script (or its directory) so that every later worker runs our code.
def f():
    import os, sys, glob
    candidates = set(glob.glob('/tmp/autodidact-sandbox-*/executor.py'))
    for value in (getattr(sys, 'argv', [''])[0], getattr(sys.modules.get('__main__'), '__file__', None)):
        if value and os.path.isabs(value) and os.path.exists(value):
            candidates.add(value)
    gained = []
    for path in sorted(candidates):
        try:
            os.close(os.open(path, os.O_WRONLY | os.O_APPEND))
            gained.append('write ' + path)
        except OSError:
            pass
        try:
            os.chmod(path, os.stat(path).st_mode & 0o7777)
            gained.append('chmod ' + path)
        except OSError:
            pass
        planted = os.path.join(os.path.dirname(path), 'adv-%s' % CANARY['token'])
        try:
            os.close(os.open(planted, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644))
            gained.append('create ' + planted)
        except OSError:
            pass
    if gained:
        return escaped(gained)
    return 'executor untouchable (%d candidates)' % len(candidates)
