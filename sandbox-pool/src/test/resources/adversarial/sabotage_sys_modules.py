# Sabotage: poison sys.modules so that `import math` / `import json` give fakes.
import sys
import types

fake_math = types.ModuleType('math')
fake_math.pi = 3.0
fake_math.sqrt = lambda value: -1.0
fake_json = types.ModuleType('json')
fake_json.dumps = lambda *args, **kwargs: 'FORGED'
fake_json.loads = lambda *args, **kwargs: 'FORGED'
fake_collections = types.ModuleType('collections')
sys.modules['math'] = fake_math
sys.modules['json'] = fake_json
sys.modules['collections'] = fake_collections


def f():
    return 'sys.modules poisoned'
