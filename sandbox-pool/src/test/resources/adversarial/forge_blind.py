# Forging: reply frames for guessed job ids on fds 1 and 2 and on Python's original streams.
def f():
    import sys
    for job_id in range(1, 41):
        frame = forged_frame(job_id)
        spray(frame, [1, 2])
        for stream in (sys.__stdout__, sys.__stderr__, sys.stdout):
            try:
                stream.write(frame.decode('latin-1'))
                stream.flush()
            except Exception:
                pass
    return 'honest'
