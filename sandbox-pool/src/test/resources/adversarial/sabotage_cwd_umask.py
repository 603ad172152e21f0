# Sabotage: change the working directory and the umask a later job inherits.
import os

for directory in ('/usr', '/'):
    try:
        os.chdir(directory)
        break
    except OSError:
        pass
os.umask(0o777)


def f():
    return 'cwd and umask changed'
