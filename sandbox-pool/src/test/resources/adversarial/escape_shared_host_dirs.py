# Escape: create files in the host's world-writable directories (/tmp, /var/tmp, /dev/shm and a
# 0777 directory the test made), where anything outside the sandbox can find them.
def f():
    import os
    token = CANARY['token']
    paths = ['/tmp/adv-%s' % token, '/var/tmp/adv-%s' % token, '/dev/shm/adv-%s' % token,
             CANARY['drop_dir'] + '/created-by-sandbox']
    created = []
    for path in paths:
        try:
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644))
            created.append(path)
        except OSError:
            pass
    # Whether the file is visible outside is for the test to see; report what was created.
    return 'created %r' % created
