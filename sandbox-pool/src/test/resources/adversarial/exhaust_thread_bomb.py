# Exhaustion: start hundreds of threads that outlive the job.
def f():
    import threading, time
    started = 0
    for _ in range(300):
        try:
            threading.Thread(target=time.sleep, args=(3,), daemon=True).start()
            started += 1
        except RuntimeError:
            break
    if started:
        return escaped('started %d threads' % started)
    return 'threads refused'
