# Sabotage: change the state of objects that live in module namespaces, in place: json's shared
# encoder (its separators) and the re module's compiled-pattern cache. No module value is
# rebound and no class is patched.
import json
import re

json._default_encoder.key_separator = ' = FORGED = '
re.findall(r'\d+', '')
for key in list(re._cache):
    if key[1] == r'\d+':
        re._cache[key] = re.compile('[a-z]+')


def f():
    return 'instances changed'
