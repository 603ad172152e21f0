# Sabotage: leave open descriptors behind, one of them a pipe holding data for a later job.
import os

reader, writer = os.pipe()
os.write(writer, b'LEFTOVER-' + CANARY['token'].encode())
extra = [os.dup(0), os.dup(reader)]


def f():
    return 'left descriptors %r' % ([reader, writer] + extra)
