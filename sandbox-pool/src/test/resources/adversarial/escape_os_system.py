# Escape: run a shell command through os.system and os.popen.
def f():
    import os
    drop = CANARY['drop_dir']
    status = os.system('touch %s/system-beacon' % drop)
    if status == 0:
        return escaped('os.system ran a shell')
    output = os.popen('echo popen-ran').read()
    if 'popen-ran' in output:
        return escaped('os.popen ran a shell')
    return 'no shell: status %r' % status
