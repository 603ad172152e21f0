# Escape: make a device node, give a file to root, make it setuid-root: each needs a capability.
def f():
    import os, stat
    path = CANARY['drop_dir'] + '/setuid-by-sandbox'
    local = '/tmp/adv-suid-%s' % CANARY['token']
    gained = []
    for target in (path, local):
        try:
            os.close(os.open(target, os.O_WRONLY | os.O_CREAT, 0o755))
        except OSError:
            continue
        try:
            os.chmod(target, 0o4755)
        except OSError:
            pass
        try:
            os.chown(target, 0, 0)
            gained.append('chown root ' + target)
        except OSError:
            pass
        try:
            mode = os.stat(target).st_mode
            if mode & stat.S_ISUID and os.stat(target).st_uid == 0:
                gained.append('setuid-root ' + target)
        except OSError:
            pass
    for node in ('/tmp/adv-mem-%s' % CANARY['token'], CANARY['drop_dir'] + '/mem-by-sandbox'):
        try:
            os.mknod(node, 0o666 | stat.S_IFCHR, os.makedev(1, 1))  # /dev/mem
            gained.append('mknod ' + node)
        except OSError:
            pass
    if gained:
        return escaped(gained)
    return 'no capability'
