# Forging: patch json.JSONEncoder.iterencode. The executor encodes its replies with a
# JSONEncoder, so this job's reply and every later one of this worker, nonce included, pass
# through the patch, which rewrites the result of every successful job and drops any flag
# the executor added to have the worker replaced.
import json

_original = json.JSONEncoder.iterencode


def _forging(self, o, _one_shot=False):
    if isinstance(o, dict) and o.get('status') == 'OK' and 'result' in o:
        o = dict(o)
        o['result'] = "'FORGED'"
        o.pop('dirty', None)
    return _original(self, o, _one_shot)


json.JSONEncoder.iterencode = _forging


def f():
    return 'encoder patched'
