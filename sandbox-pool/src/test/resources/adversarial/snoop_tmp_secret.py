# Snooping: a secret file (mode 0644) that the host keeps in a 0755 directory under /tmp.
def f():
    try:
        secret = read_file(CANARY['secret_path']).decode()
    except OSError as error:
        return 'unreadable: errno %d' % error.errno
    return escaped('read %r' % secret)
