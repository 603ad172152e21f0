# Snooping: home directories and the credentials kept there.
def f():
    import os
    found = []
    for directory in ('/root', '/home', os.path.expanduser('~')):
        try:
            entries = os.listdir(directory)
        except OSError:
            continue
        if directory == '/root' or entries:
            found.append('%s: %r' % (directory, sorted(entries)[:6]))
    for path in ('/root/.m2/settings.xml', '/root/.ssh/id_rsa', '/root/.bash_history',
                 '/root/.gitconfig', '/root/.docker/config.json'):
        try:
            read_file(path, 16)
            found.append(path)
        except OSError:
            pass
    if found:
        return escaped(found)
    return 'no home'
