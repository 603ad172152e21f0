# Escape: replace the worker with /bin/sh (which execs Python without forking), then leave a
# file outside and phone home. The protocol pipes are made inheritable first, so the pool waits
# (until its timeout) instead of seeing them close, and the new program has time to act.
def f():
    import os
    for fd in open_fds():
        try:
            os.set_inheritable(fd, True)
        except OSError:
            pass
    beacon = ("import socket, time; open('%s/exec-beacon', 'w').close(); "
              "s = socket.create_connection(('127.0.0.1', %d), 1); s.sendall(b'exec-beacon'); time.sleep(5)"
              % (CANARY['drop_dir'], CANARY['tcp_port']))
    try:
        os.execv('/bin/sh', ['sh', '-c', 'exec /usr/bin/python3 -c "%s"' % beacon])
    except OSError as error:
        first = error.errno
    try:
        os.execve('/usr/bin/python3', ['python3', '-c', beacon], {})
    except OSError as error:
        second = error.errno
    return 'exec refused %r' % ((first, second),)
