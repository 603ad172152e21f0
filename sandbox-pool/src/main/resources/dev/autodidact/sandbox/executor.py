"""Autodidact sandbox executor: one warm worker process serving SandboxPool.

Started as `python3 -S -s -B executor.py memory_bytes=N cpu_seconds=N max_output_chars=N
scratch_bytes=N allow_weak=0|1`. It enters its jail (jail.py: namespaces, read-only root,
no capabilities, rlimits, Landlock, seccomp), then answers requests one at a time:
length-prefixed frames (4-byte big-endian length, then UTF-8 JSON) on private copies of
the original stdin/stdout. The untrusted programs it runs share this process, so
everything the executor relies on after a program ran is bound here, at import time; an
audit hook keeps programs away from its frames, and after every program the interpreter
is compared with its start-up state so that a worker a program changed is replaced.
"""
import ast
import builtins
import ctypes
import json
import os
import resource
import signal
import sys
import time
import types
import _thread

import jail

# Loaded once, before privileges drop, so that programs importing them pay nothing.
import bisect  # noqa: F401
import collections  # noqa: F401
import functools  # noqa: F401
import heapq  # noqa: F401
import itertools  # noqa: F401
import math  # noqa: F401
import operator
import re  # noqa: F401
import string  # noqa: F401
import copy  # noqa: F401
import fractions  # noqa: F401
import statistics  # noqa: F401
import textwrap  # noqa: F401
import typing  # noqa: F401
import unicodedata  # noqa: F401
import decimal

_NOBODY = jail.NOBODY
_OPEN_FILES = 16
# Modules only the set-up needs; a program importing them is refused.
_SETUP_ONLY_MODULES = frozenset({'jail', 'ctypes', '_ctypes'})
# Audit events that reach frames, raw memory or other hooks: refused while serving.
_AUDIT_BLOCKED_PREFIXES = (
    'sys._getframe', 'sys._current_frames', 'sys._current_exceptions',
    'gc.get_', 'ctypes.', 'sys.settrace', 'sys.setprofile', 'sys.addaudithook', 'code.__new__',
)
_SIGNALS = tuple(range(1, 32))
_BEHAVIOUR_ATTRIBUTES = frozenset({'__code__', '__defaults__', '__kwdefaults__'})
# Audited attributes that lead to frames, and from frames to the executor's own state;
# the others (such as __code__, which dataclasses read) stay allowed.
_FRAME_ATTRIBUTES = frozenset({'tb_frame', 'gi_frame', 'cr_frame', 'ag_frame', 'f_back', 'f_locals', 'f_globals'})
# Set by the audit hook and by the builtins restore when a program changed shared state.
_STATE = {'dirty': None}
_MAX_REQUEST_BYTES = 16 << 20
_ERROR_CHARS = 300
_QUOTE_CHARS = 80

_BANNED_MODULES = frozenset({
    'random', 'time', 'datetime', 'os', 'sys', 'subprocess', 'socket', 'threading',
    'multiprocessing', 'io', 'pathlib', 'shutil', 'signal', 'ctypes', 'secrets', 'uuid',
    'builtins', 'importlib', 'asyncio', 'inspect', 'gc',
})
_BANNED_NAMES = frozenset({
    'open', 'input', 'eval', 'exec', 'compile', '__import__', 'globals', 'locals', 'vars',
    'getattr', 'setattr', 'delattr', 'breakpoint', 'exit', 'quit', 'id', 'hash', 'help',
})

# Private references: a program may rebind any builtin or module attribute it can reach.
_len = len
_repr = repr
_str = str
_type = type
_exec = exec
_eval = eval
_compile = compile
_BaseException = BaseException
_MemoryError = MemoryError
_TypeError = TypeError
_list_append = list.append
_str_join = str.join
_dict_update = dict.update
_os_read = os.read
_os_write = os.write
_os_fstat = os.fstat
_os_listdir = os.listdir
_thread_count = _thread._count
_all = all
_map = map
_is = operator.is_
_types_module = types.ModuleType
_RuntimeError = RuntimeError
_ValueError = ValueError
_literal_eval = ast.literal_eval
_ast_parse = ast.parse
_ast_walk = ast.walk
_from_bytes = int.from_bytes
_perf_counter = time.perf_counter
# Looking a codec up the first time imports it: do it now, not in a job (a job that loads
# a new module counts as having changed the interpreter, and its worker is replaced).
'warm'.encode('utf-16-be', 'surrogatepass').decode('utf-16-be', 'surrogatepass')
for _codec in ('ascii', 'latin-1', 'utf-8', 'utf-8-sig', 'utf-16', 'utf-16-le', 'utf-32', 'cp1252', 'cp437',
               'rot13', 'idna', 'punycode', 'unicode-escape', 'raw-unicode-escape', 'hex', 'base64'):
    __import__('codecs').lookup(_codec)
_bytes_join = b''.join
_setrecursionlimit = sys.setrecursionlimit
_settrace = sys.settrace
_setprofile = sys.setprofile
_gettrace = sys.gettrace
_getprofile = sys.getprofile
_getrecursionlimit = sys.getrecursionlimit
_RECURSION_LIMIT = sys.getrecursionlimit()
_BUILTINS = builtins.__dict__
_BUILTINS_SNAPSHOT = dict(_BUILTINS)


class _OutputLimitExceeded(BaseException):
    """Raised into the program when its printed output passes the cap."""


class _CappedText:
    """Stands in for sys.stdout: keeps at most `limit` characters and remembers overflow."""

    def __init__(self, limit):
        self._parts = []
        self._size = 0
        self._limit = limit
        self.overflowed = False

    def write(self, text):
        if _type(text) is not _str:
            raise _TypeError('write() argument must be str')
        if self.overflowed:
            raise _OutputLimitExceeded('printed output exceeds the limit')
        room = self._limit - self._size
        if _len(text) > room:
            _list_append(self._parts, text[:room])
            self._size = self._limit
            self.overflowed = True
            raise _OutputLimitExceeded('printed output exceeds the limit')
        _list_append(self._parts, text)
        self._size += _len(text)
        return _len(text)

    def flush(self):
        pass

    def text(self):
        return _str_join('', self._parts)


class _Discard:
    """Stands in for sys.stderr."""

    def write(self, text):
        return _len(text)

    def flush(self):
        pass


_DISCARD = _Discard()


def _read_exact(fd, count):
    data = bytearray()
    while _len(data) < count:
        chunk = _os_read(fd, count - _len(data))
        if not chunk:
            raise EOFError
        data += chunk
    return bytes(data)


def _decode_fields(data):
    """A request: entries of (1-byte key length, ASCII key, 4-byte value length, UTF-16BE value).

    Only methods of bytes, str and int, which no program can replace, touch the frames:
    the json module is a program's to patch (a patched encoder once forged every reply).
    """
    fields = {}
    position = 0
    end = _len(data)
    while position < end:
        key_size = data[position]
        key = data[position + 1:position + 1 + key_size].decode('ascii')
        position += 1 + key_size
        value_size = _from_bytes(data[position:position + 4], 'big')
        position += 4
        fields[key] = data[position:position + value_size].decode('utf-16-be', 'surrogatepass')
        position += value_size
    return fields


def _encode_fields(message):
    """The reply in the request's format; None values are left out."""
    parts = []
    for key, value in message.items():
        if value is None:
            continue
        key_bytes = key.encode('ascii')
        value_bytes = value.encode('utf-16-be', 'surrogatepass')
        _list_append(parts, _len(key_bytes).to_bytes(1, 'big'))
        _list_append(parts, key_bytes)
        _list_append(parts, _len(value_bytes).to_bytes(4, 'big'))
        _list_append(parts, value_bytes)
    return _bytes_join(parts)


def _read_frame(fd):
    size = _from_bytes(_read_exact(fd, 4), 'big')
    if size > _MAX_REQUEST_BYTES:
        raise EOFError
    try:
        return _decode_fields(_read_exact(fd, size))
    except (IndexError, UnicodeDecodeError):
        raise EOFError from None


def _write_payload(fd, payload):
    data = _len(payload).to_bytes(4, 'big') + payload
    while data:
        data = data[_os_write(fd, data):]


def _write_frame(fd, message):
    _write_payload(fd, _encode_fields(message))


def _write_hello(fd, message):
    """The first frame is JSON: it is written before any program ran."""
    _write_payload(fd, json.dumps(message).encode('ascii'))


def _one_line(text, limit=_ERROR_CHARS):
    return ' '.join(text.split())[:limit]


def _describe(exc):
    """'Type: message' on one line; may run a program's __str__, so private references only."""
    try:
        name = _type(exc).__name__
        message = _str(exc)
    except _BaseException:
        name, message = 'Exception', ''
    return _one_line(name + ': ' + message if message else name)


def _reply(status, result=None, stdout='', error=None):
    return {'status': status, 'result': result, 'stdout': stdout, 'error': error}


def _ok(result=None):
    return _reply('OK', result)


def _rejected(reason):
    return _reply('REJECTED', error=_one_line(reason))


def _restore_interpreter():
    """Undo what a program may have changed in shared interpreter state; flag it if it did."""
    if _len(_BUILTINS) != _len(_BUILTINS_SNAPSHOT) or any(
            _BUILTINS.get(name, _STATE) is not value for name, value in _BUILTINS_SNAPSHOT.items()):
        _STATE['dirty'] = 'builtins were changed'
    _dict_update(_BUILTINS, _BUILTINS_SNAPSHOT)
    for name in [name for name in _BUILTINS if name not in _BUILTINS_SNAPSHOT]:
        del _BUILTINS[name]
    sys.stdout = _DISCARD
    sys.stderr = _DISCARD
    # The audit hook refuses both to programs; these only matter with the weak fallback.
    if _gettrace() is not None:
        _settrace(None)
    if _getprofile() is not None:
        _setprofile(None)
    # Per-thread state no fingerprint sees: reset it for the next program.
    _decimal_setcontext(_PRISTINE_DECIMAL.copy())
    _pthread_sigmask(signal.SIG_SETMASK, ())
    if _getrecursionlimit() != _RECURSION_LIMIT:
        _STATE['dirty'] = 'the recursion limit was changed'
    _setrecursionlimit(_RECURSION_LIMIT)


def _run_program(code, expression, stdout):
    """Returns (status, value, repr text, error); only private references until restored."""
    sys.stdout = stdout
    sys.stderr = _DISCARD
    namespace = {'__name__': '__main__', '__builtins__': builtins}
    try:
        _exec(_compile(code, '<program>', 'exec'), namespace)
        value = _eval(_compile(expression, '<expression>', 'eval'), namespace)
        return 'OK', value, _repr(value), None
    except _MemoryError:
        return 'MEMORY', None, None, 'MemoryError'
    except _BaseException as exc:
        return 'ERROR', None, None, _describe(exc)
    finally:
        _restore_interpreter()


def _evaluate(request, max_output_chars):
    stdout = _CappedText(max_output_chars)
    status, value, text, error = _run_program(request['code'], request['expression'], stdout)
    printed = stdout.text()
    if stdout.overflowed:
        return _reply('OUTPUT_LIMIT', stdout=printed, error='printed output exceeds %d characters' % max_output_chars)
    if status != 'OK':
        return _reply(status, stdout=printed, error=error)
    if len(text) > max_output_chars:
        return _reply('OUTPUT_LIMIT', stdout=printed, error='result exceeds %d characters' % max_output_chars)
    if request.get('require_literal') and not _is_printable_literal(value, text):
        return _reply('REJECTED', stdout=printed, error='output is not a printable literal: ' + text[:_QUOTE_CHARS])
    return _reply('OK', text, printed)


# Exact types only: a subclass could run program code from __eq__, __hash__ or __repr__.
_FAMILIES = {
    bool: 'bool', int: 'number', float: 'number', complex: 'number', str: 'str',
    bytes: 'bytes', type(None): 'none', list: 'list', tuple: 'tuple', set: 'set',
    frozenset: 'set', dict: 'dict',
}


def _family(value):
    return _FAMILIES.get(type(value))


def _is_literal_tree(value):
    family = _family(value)
    if family is None:
        return False
    if family == 'number':
        return value == value  # NaN is the only number not equal to itself
    if family in ('list', 'tuple', 'set'):
        return all(_is_literal_tree(item) for item in value)
    if family == 'dict':
        return all(_is_literal_tree(key) and _is_literal_tree(item) for key, item in value.items())
    return True


def _strict_equal(left, right):
    """Python ==, except that values of different families (True vs 1, [1] vs (1,)) differ."""
    family = _family(left)
    if family != _family(right):
        return False
    if family in ('list', 'tuple'):
        return len(left) == len(right) and all(_strict_equal(a, b) for a, b in zip(left, right))
    if family == 'set':
        if len(left) != len(right):
            return False
        matches = {item: item for item in right}
        return all(item in matches and _strict_equal(item, matches[item]) for item in left)
    if family == 'dict':
        if len(left) != len(right):
            return False
        keys = {key: key for key in right}
        return all(
            key in keys and _strict_equal(key, keys[key]) and _strict_equal(item, right[keys[key]])
            for key, item in left.items())
    return left == right


def _is_printable_literal(value, text):
    try:
        return _is_literal_tree(value) and _strict_equal(_literal_eval(text), value)
    except (RecursionError, MemoryError, SyntaxError, ValueError, TypeError):
        return False


def _parse_literal(text):
    """The literal's value, or raises ValueError with a one-line reason."""
    try:
        value = _literal_eval(text)
        printable = _is_literal_tree(value)
    except (SyntaxError, ValueError, TypeError, AttributeError, KeyError, RecursionError, MemoryError) as exc:
        raise ValueError('not a Python literal: ' + _describe(exc)) from None
    if not printable:
        raise ValueError('not a printable literal')
    return value


def _check_literal(request):
    try:
        _parse_literal(request['text'])
    except ValueError as exc:
        return _rejected(str(exc))
    return _ok()


def _compare(request):
    try:
        expected = _parse_literal(request['expected'])
    except ValueError as exc:
        return _rejected('expected: ' + str(exc))
    try:
        actual = _parse_literal(request['actual'])
    except ValueError as exc:
        return _rejected('actual: ' + str(exc))
    return _ok(repr(_strict_equal(expected, actual)))


def _check_args(request):
    try:
        tree = _ast_parse('f(' + request['text'] + ')', '<arguments>', 'eval')
    except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
        return _rejected('arguments do not parse: ' + _describe(exc))
    call = tree.body
    if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id == 'f'):
        return _rejected('not a single argument list')
    values = list(call.args) + [keyword.value for keyword in call.keywords]
    if any(isinstance(value, ast.Starred) for value in call.args) or any(k.arg is None for k in call.keywords):
        return _rejected('unpacking (* or **) is not allowed in arguments')
    for value in values:
        try:
            literal = _literal_eval(value)
        except (ValueError, TypeError, SyntaxError, AttributeError, KeyError, RecursionError, MemoryError):
            return _rejected('argument is not a literal')
        if not _is_literal_tree(literal):
            return _rejected('argument is not a printable literal')
    return _ok()


def _identifiers(node):
    """Every identifier a node introduces or mentions (except plain Name, handled apart)."""
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return [node.name]
    if isinstance(node, ast.Attribute):
        return [node.attr]
    if isinstance(node, ast.arg):
        return [node.arg]
    if isinstance(node, ast.keyword):
        return [node.arg] if node.arg else []
    if isinstance(node, ast.alias):
        return [node.name, node.asname] if node.asname else [node.name]
    if isinstance(node, (ast.Global, ast.Nonlocal)):
        return list(node.names)
    if isinstance(node, ast.ImportFrom):
        return [node.module] if node.module else []
    if isinstance(node, ast.ExceptHandler):
        return [node.name] if node.name else []
    if isinstance(node, (ast.MatchAs, ast.MatchStar)):
        return [node.name] if node.name else []
    if isinstance(node, ast.MatchMapping):
        return [node.rest] if node.rest else []
    if isinstance(node, ast.MatchClass):
        return list(node.kwd_attrs)
    return []


def _imported_modules(node):
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom):
        return [node.module or '']
    return []


def _node_violation(node):
    if isinstance(node, ast.ImportFrom) and node.level:
        return 'relative imports are not allowed'
    for module in _imported_modules(node):
        root = module.split('.')[0]
        if root in _BANNED_MODULES:
            return 'imports banned module ' + root
    if isinstance(node, ast.Name):
        if node.id in _BANNED_NAMES:
            return 'uses banned name ' + node.id
        names = [node.id]
    else:
        names = _identifiers(node)
    for name in names:
        if name.startswith('__'):
            return 'uses name %s (names starting with "__" are not allowed)' % name
    return None


def _program_violation(code):
    try:
        tree = _ast_parse(code, '<program>', 'exec')
    except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
        return 'does not parse: ' + _describe(exc)
    body = tree.body
    if not (len(body) == 1 and isinstance(body[0], ast.FunctionDef) and body[0].name == 'f'):
        return 'the program must be exactly one top-level function definition named f'
    for node in _ast_walk(tree):
        violation = _node_violation(node)
        if violation:
            return violation
    return None


def _check_program(request):
    violation = _program_violation(request['code'])
    return _ok() if violation is None else _rejected(violation)


def _handle(request, max_output_chars):
    op = request.get('op')
    try:
        if op == 'evaluate':
            return _evaluate(request, max_output_chars)
        if op == 'check_program':
            return _check_program(request)
        if op == 'check_literal':
            return _check_literal(request)
        if op == 'check_args':
            return _check_args(request)
        if op == 'compare':
            return _compare(request)
        return _reply('ERROR', error='unknown op: %s' % _one_line(_str(op)))
    except _MemoryError:
        return _reply('MEMORY', error='MemoryError')
    except _BaseException as exc:
        return _reply('ERROR', error='executor failure: ' + _describe(exc))


def _take_protocol_fds():
    """Moves the protocol to private fds; 0/1/2 become /dev/null so programs cannot write frames."""
    requests, replies = os.dup(0), os.dup(1)
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    os.close(null)
    low, high = sorted((requests, replies))
    os.closerange(3, low)
    os.closerange(low + 1, high)
    os.closerange(high + 1, 1 << 16)
    return requests, replies


def _weak_isolation(settings, reason):
    """What an unprivileged process can still do alone, when the user accepted the risk."""
    import resource
    applied = []
    if os.geteuid() == 0:
        os.setgroups([])
        os.setresgid(_NOBODY, _NOBODY, _NOBODY)
        os.setresuid(_NOBODY, _NOBODY, _NOBODY)
        applied.append('uid')
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
    if libc.prctl(38, 1, 0, 0, 0) == 0:
        applied.append('no_new_privs')
    for limit, value in ((resource.RLIMIT_AS, settings['memory_bytes']),
                         (resource.RLIMIT_CPU, settings['cpu_seconds']),
                         (resource.RLIMIT_FSIZE, settings['scratch_bytes']),
                         (resource.RLIMIT_NOFILE, _OPEN_FILES), (resource.RLIMIT_CORE, 0)):
        try:
            resource.setrlimit(limit, (value, value))
        except (OSError, ValueError):
            pass
    applied.append('rlimits')
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    return {'weak': reason, 'layers': applied}


def _isolate(settings, keep_fds):
    """Enters the jail (see jail.py); with allow_weak, falls back to what still works here."""
    try:
        return jail.enter(keep_fds, settings['memory_bytes'], settings['cpu_seconds'], _OPEN_FILES,
                          settings['scratch_bytes'])
    except (jail.JailError, OSError) as exc:
        if not settings.get('allow_weak'):
            raise
        return _weak_isolation(settings, _describe(exc))


def _forget_setup_modules():
    """Programs must not reach ctypes (raw memory) or the executor's own module."""
    for name in [name for name in sys.modules if name.split('.')[0] in _SETUP_ONLY_MODULES]:
        del sys.modules[name]
    sys.modules['__main__'] = _types_module('__main__')


def _install_audit_hook():
    """Blocks the introspection that would reach the executor's frames (and its job nonce)."""
    blocked_prefixes = _AUDIT_BLOCKED_PREFIXES
    blocked_imports = _SETUP_ONLY_MODULES
    state = _STATE
    executor_calls = _EXECUTOR_CALLS

    def hook(event, args, _startswith=str.startswith, _split=str.split):
        if event == 'import':
            if _split(args[0], '.')[0] in blocked_imports:
                state['dirty'] = 'imported ' + args[0]
                raise _RuntimeError('sandbox: import of %s is not allowed' % args[0])
            return
        if event == 'object.__getattr__':
            if args[1] in _FRAME_ATTRIBUTES:
                state['dirty'] = 'reached for a frame (%s)' % args[1]
                raise _RuntimeError('sandbox: %s is not allowed' % args[1])
            return
        if event == 'object.__setattr__':
            # A function's behaviour was changed (dataclasses only set names and docs): legal,
            # but later jobs must not see it.
            if args[1] in _BEHAVIOUR_ATTRIBUTES:
                state['dirty'] = 'patched %s of a function' % args[1]
            return
        if event == 'sys.setprofile' and executor_calls['setprofile']:
            return
        if event == 'sys._getframe':
            # ValueError is what the standard library expects where frames do not exist
            # (namedtuple, dataclasses, enum, typing fall back to defaults); the worker stays clean.
            raise _ValueError('sandbox: call stack introspection is not allowed')
        for prefix in blocked_prefixes:
            if _startswith(event, prefix):
                state['dirty'] = 'audit event ' + event
                raise _RuntimeError('sandbox: %s is not allowed' % event)

    sys.addaudithook(hook)


_HEAPTYPE = 1 << 9


_MUTABLE_CONTAINERS = (dict, list, set)


def _fingerprint():
    """Every value reachable in one or two steps from a loaded module, by identity.

    That is each module's namespace; each mutable class it defines (Counter.most_common =
    ...); each module-level dict, list or set (copy._deepcopy_dispatch, sys.modules); and each
    module-level object's attributes (json._default_encoder.key_separator). Rebinding any of
    them changes the fingerprint. The audit hook reports patched functions.
    """
    dicts = []
    labels = []
    seen = set()

    def add(namespace, label):
        if id(namespace) not in seen:
            seen.add(id(namespace))
            dicts.append(namespace)
            labels.append(label)

    for name, module in sorted(sys.modules.items()):
        namespace = getattr(module, '__dict__', None)
        if namespace is None:
            continue
        add(namespace, name)
        for attribute, value in list(namespace.items()):
            kind = type(value)
            label = name + '.' + attribute
            if kind in _MUTABLE_CONTAINERS:
                add(value, label)
            elif isinstance(value, type):
                if value.__flags__ & _HEAPTYPE:
                    add(value.__dict__, label)
            elif kind.__flags__ & _HEAPTYPE and isinstance(getattr(value, '__dict__', None), dict):
                add(value.__dict__, label)
    add(globals(), 'the executor')
    add(os.environ._data, 'os.environ')
    return dicts, labels


def _copy(container):
    """A shallow copy to compare the live container with: same keys, the very same values."""
    kind = _type(container)
    if kind is dict or kind is _mappingproxy:
        return dict(container)
    return kind(container)


def _module_types():
    """A module whose __class__ was swapped can intercept every attribute access."""
    return _list(_map(_type, sys.modules.values()))


def _unchanged(live, copies):
    """live == copies, in C loops that shortcut on identity; any Python __eq__ run means change.

    A value that is not the very same object as at start-up is compared with ==, which for a
    program's object could run its __eq__ and lie; a profile function watches for that.
    """
    ran_python = []

    def watch(frame, event, argument):
        if event == 'call':
            ran_python.append(event)

    _EXECUTOR_CALLS['setprofile'] = True
    _setprofile(watch)
    try:
        equal = live == copies
    finally:
        _setprofile(None)
        _EXECUTOR_CALLS['setprofile'] = False
    return equal and not ran_python


def _open_fds():
    found = []
    for fd in range(_OPEN_FILES):
        try:
            _os_fstat(fd)
            _list_append(found, fd)
        except OSError:
            pass
    return found


def _same(left, right):
    """Same length and the very same objects: == could run a program's __eq__ and lie."""
    return _len(left) == _len(right) and _all(_map(_is, left, right))


def _shared_containers():
    """Mutable lists and dicts that steer later jobs (imports, warnings, gc, pickling)."""
    import copyreg
    import gc
    import warnings
    return (sys.path, sys.meta_path, sys.path_hooks, warnings.filters, gc.callbacks,
            copyreg.dispatch_table)


_CONTAINERS = _shared_containers()
_gc_isenabled = __import__('gc').isenabled
_gc_get_threshold = __import__('gc').get_threshold
_get_int_max_str_digits = sys.get_int_max_str_digits
_getitimer = signal.getitimer
_getsignal = signal.getsignal
_getcwd = os.getcwd
_umask = os.umask
_TIMERS = (signal.ITIMER_REAL, signal.ITIMER_VIRTUAL, signal.ITIMER_PROF)
_mappingproxy = type(type.__dict__)
_list = list
# Set only while the executor itself calls an audited function the hook refuses to programs.
_EXECUTOR_CALLS = {'setprofile': False}
_re_purge = re.purge
_encodings = __import__('encodings')
_encodings_cache = _encodings._cache
_ENCODINGS_CACHE = dict(_encodings_cache)
_ENCODINGS_NAMES = frozenset(_encodings.__dict__)
_BASELINE_MODULES = set()
_MODULES = sys.modules
_CODEC_MODULE_PREFIXES = ('encodings.', '_codecs_', '_multibytecodec')
_getrlimit = resource.getrlimit
_RLIMITS = (resource.RLIMIT_AS, resource.RLIMIT_CPU, resource.RLIMIT_FSIZE, resource.RLIMIT_NOFILE,
            resource.RLIMIT_CORE, resource.RLIMIT_NPROC)
_decimal_default = decimal.DefaultContext
_decimal_setcontext = decimal.setcontext
_PRISTINE_DECIMAL = decimal.Context()
_pthread_sigmask = signal.pthread_sigmask


def _reset_caches():
    """Caches that programs fill legitimately (compiled patterns, codec lookups, misses
    included) are put back as they were, rather than counted as a changed interpreter."""
    _re_purge()
    _encodings_cache.clear()
    _encodings_cache.update(_ENCODINGS_CACHE)
    # A codec found on first use (shift_jis, say) loads its modules: unload them again. The
    # interpreter keeps the codec itself in its own registry, where programs cannot reach it.
    for name in [name for name in _MODULES if _type(name) is _str and name.startswith(_CODEC_MODULE_PREFIXES)]:
        if name not in _BASELINE_MODULES:
            del _MODULES[name]
    namespace = _encodings.__dict__
    for name in [name for name in namespace if name not in _ENCODINGS_NAMES]:
        del namespace[name]


def _container_items(container):
    """Keys and values (or items) in order; sets by a sorted-free snapshot of their members."""
    kind = _type(container)
    if kind is dict or kind is _mappingproxy:
        return tuple(container) + tuple(container.values())
    return tuple(container)


class _Baseline:
    """The interpreter state right after start-up, against which every job is checked."""

    def __init__(self):
        _BASELINE_MODULES.update(sys.modules)
        _reset_caches()
        self.modules = frozenset(sys.modules)
        self.dicts, self.labels = _fingerprint()
        self.copies = [_copy(d) for d in self.dicts] + [_module_types()]
        self.identities = [_container_items(d) for d in self.dicts]
        self.containers = [_container_items(container) for container in _CONTAINERS]
        self.fds = _open_fds()
        self.cwd = _getcwd()
        self.handlers = [_getsignal(number) for number in _SIGNALS]
        self.umask = _umask(0o022)
        _umask(self.umask)
        self.gc = (_gc_isenabled(), _gc_get_threshold())
        self.int_digits = _get_int_max_str_digits()
        self.rlimits = [_getrlimit(limit) for limit in _RLIMITS]
        self.decimal_default = _repr(_decimal_default)

    def change(self):
        """None if the interpreter looks as it did at start-up, else what changed.

        Module namespaces are compared first: until they are known intact, no module function
        a program could have replaced is called (the rest uses references bound at start-up).
        """
        if _STATE['dirty']:
            return _STATE['dirty']
        _reset_caches()
        if not _unchanged(self.dicts + [_module_types()], self.copies):
            # Rare: find out what changed, for the log.
            for namespace, values, label in zip(self.dicts, self.identities, self.labels):
                if not _same(_container_items(namespace), values):
                    return label + ' changed'
            return 'a module, class or module-level object changed'
        if sys.modules.keys() != self.modules:
            return 'the set of loaded modules changed'
        for container, items in zip(_CONTAINERS, self.containers):
            if not _same(_container_items(container), items):
                return 'an import, warning, gc or pickling registry changed'
        if _open_fds() != self.fds:
            return 'file descriptors were left open'
        if _os_listdir('/tmp'):
            return 'files were left in /tmp'
        if _getcwd() != self.cwd:
            return 'the working directory changed'
        if not _same([_getsignal(number) for number in _SIGNALS], self.handlers):
            return 'a signal handler changed'
        if any(_getitimer(timer) != (0.0, 0.0) for timer in _TIMERS):
            return 'a timer or alarm is pending'
        umask = _umask(self.umask)
        if umask != self.umask:
            return 'the umask changed'
        if (_gc_isenabled(), _gc_get_threshold()) != self.gc:
            return 'the garbage collector was reconfigured'
        if _get_int_max_str_digits() != self.int_digits:
            return 'the int-to-str digit limit changed'
        if [_getrlimit(limit) for limit in _RLIMITS] != self.rlimits:
            return 'a resource limit changed'
        if _repr(_decimal_default) != self.decimal_default:
            return 'the default decimal context changed'
        if _thread_count():
            return 'a thread is running'
        return None


def _split_jobs(fields):
    """A batch frame holds fields "<index>:<name>" for each job, and the batch's nonce."""
    jobs = {}
    for key, value in fields.items():
        index, separator, name = key.partition(':')
        if separator:
            job = jobs.get(index)
            if job is None:
                job = jobs[index] = {}
            job[name] = value
    return [jobs[index] for index in sorted(jobs, key=int)]


def _serve(requests, replies, max_output_chars, baseline):
    """Answers batches: runs their jobs in order, stopping after the first that is not ok.

    The interpreter is checked once after a batch: if a program changed it, the reply says
    so and the pool re-runs the batch's later jobs alone, on fresh workers.
    """
    while True:
        try:
            fields = _read_frame(requests)
        except EOFError:
            return
        # Held only in this frame, which the audit hook keeps programs from reaching.
        nonce = fields.get('nonce')
        reply = {'nonce': nonce}
        ran_program = False
        ran = 0
        for request in _split_jobs(fields):
            started = _perf_counter()
            result = _handle(request, max_output_chars)
            result['ms'] = _str(int((_perf_counter() - started) * 1000))
            prefix = _str(ran) + ':'
            for name, value in result.items():
                reply[prefix + name] = value
            reply[prefix + 'id'] = request.get('id')
            ran += 1
            ran_program = ran_program or request.get('op') == 'evaluate'
            if result['status'] != 'OK' and not (result['status'] == 'REJECTED' and request.get('op') != 'evaluate'):
                break
        reply['ran'] = _str(ran)
        if ran_program:
            change = baseline.change()
            if change is not None:
                reply['dirty'] = _one_line(change)
        _write_frame(replies, reply)


def main():
    settings = {key: int(value) for key, value in (arg.split('=', 1) for arg in sys.argv[1:])}
    requests, replies = _take_protocol_fds()
    try:
        isolation = _isolate(settings, (requests, replies))
    except BaseException as exc:
        _write_hello(replies, {'ready': False, 'error': _describe(exc)})
        raise SystemExit(1)
    _restore_interpreter()
    _forget_setup_modules()
    baseline = _Baseline()
    _install_audit_hook()
    _write_hello(replies, {'ready': True, 'isolation': isolation, 'pid': os.getpid()})
    _serve(requests, replies, settings['max_output_chars'], baseline)


if __name__ == '__main__':
    main()
