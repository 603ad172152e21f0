# Snooping, step 1 (runs on worker X): leave a marker in this worker's memory and make the
# process dumpable, so that another worker could read it through /proc/<pid>/mem.
PR_SET_DUMPABLE = 4


def f():
    import math
    math.adv_victim_memory = ['PLANT' + 'ED-' + CANARY['token']] * 64
    lib = libc()
    code = lib.prctl(PR_SET_DUMPABLE, 1, 0, 0, 0)
    return 'planted, prctl=%d' % code
