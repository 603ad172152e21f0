# Snooping: a secret file under the JVM's working directory, and that directory's listing.
def f():
    import os
    try:
        secret = read_file(CANARY['workdir_secret_path']).decode()
        return escaped('read %r' % secret)
    except OSError:
        pass
    try:
        entries = os.listdir(CANARY['jvm_cwd'])
        return escaped('listed the JVM working directory: %r' % sorted(entries)[:6])
    except OSError:
        return 'no JVM working directory'
