# Escape: run a shell command through subprocess (through _posixsubprocess, which subprocess
# wraps, when importing subprocess itself is refused).
def f():
    drop = CANARY['drop_dir']
    argv = [b'/bin/sh', b'-c', ('touch %s/subprocess-beacon' % drop).encode()]
    try:
        import subprocess
        completed = subprocess.run(argv, capture_output=True, timeout=1)
        return escaped('subprocess ran, status %d' % completed.returncode)
    except (ImportError, RuntimeError):
        pass
    import _posixsubprocess, os
    errors_read, errors_write = os.pipe()
    pid = _posixsubprocess.fork_exec(
        argv, [b'/bin/sh'], True, (errors_write,), None, None, -1, -1, -1, -1, -1, -1,
        errors_read, errors_write, True, False, -1, None, None, None, -1, None, False)
    return escaped('fork_exec started %d' % pid)
