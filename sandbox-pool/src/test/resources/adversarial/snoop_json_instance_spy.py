# Snooping, step 1: wrap the scanner of json's shared default decoder (an instance attribute of
# an object in json's namespace, so no class or module namespace changes). The executor decodes
# every request with json.loads, so the text of every later request on this worker is kept on
# that instance for a later hostile job to collect.
import json

decoder = json._default_decoder
decoder.adv_stash = []
_original = decoder.scan_once


def _spying(s, idx=0):
    decoder.adv_stash.append(s[:2000])
    return _original(s, idx)


decoder.scan_once = _spying


def f():
    return 'decoder instance spy installed'
