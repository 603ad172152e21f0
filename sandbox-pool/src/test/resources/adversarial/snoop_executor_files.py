# Snooping: the pools' executor directories in the host's /tmp, where scripts and state live.
def f():
    import glob
    found = glob.glob('/tmp/autodidact-sandbox-*/*')
    if found:
        return escaped('host executor files %r' % sorted(found)[:4])
    return 'no host executor file'
