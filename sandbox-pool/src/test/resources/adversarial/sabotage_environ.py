# Sabotage: change the environment (os.environ is changed in place, and putenv underneath).
import os

os.environ['ADV_LEFTOVER'] = 'x'
os.environ['PATH'] = '/tmp'
os.putenv('PYTHONHASHSEED', '1')


def f():
    return 'environment changed'
