# Exhaustion: sleep for a week inside a C call.
def f():
    import time
    time.sleep(7 * 24 * 3600)
    return 'woke up'
