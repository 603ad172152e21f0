# Sabotage and snooping, step 3: collect what the spy of step 1 kept of the victim's program.
def f():
    import math
    return [source[:120] for source in getattr(math, 'adv_stash', []) if 'VICTIM' in source]
