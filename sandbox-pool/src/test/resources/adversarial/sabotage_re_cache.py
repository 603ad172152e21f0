# Sabotage: poison the re module's compiled-pattern cache, so r'\d+' matches letters.
def f():
    import re
    re.findall(r'\d+', '')
    for key in list(re._cache):
        if key[1] == r'\d+':
            re._cache[key] = re.compile('[a-z]+')
    return 'cache poisoned'
