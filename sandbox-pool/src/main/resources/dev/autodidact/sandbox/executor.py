"""Autodidact sandbox executor: one warm worker process serving SandboxPool.

Started as `python3 -S -s -B executor.py memory_bytes=N cpu_seconds=N max_output_chars=N`.
It isolates itself (see _isolate and _apply_limits), then answers requests one at a time:
length-prefixed frames (4-byte big-endian length, then UTF-8 JSON) on private copies of
the original stdin/stdout. The untrusted programs it runs share this process, so
everything the executor relies on after a program ran is bound here, at import time.
"""
import ast
import builtins
import ctypes
import json
import os
import resource
import signal
import sys

# Loaded once, before privileges drop, so that programs importing them pay nothing.
import bisect  # noqa: F401
import collections  # noqa: F401
import functools  # noqa: F401
import heapq  # noqa: F401
import itertools  # noqa: F401
import math  # noqa: F401
import operator  # noqa: F401
import re  # noqa: F401
import string  # noqa: F401

_NOBODY = 65534
_CLONE_NEWUSER = 0x10000000
_PR_SET_PDEATHSIG = 1
_PR_SET_NO_NEW_PRIVS = 38
_OPEN_FILES = 16
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
_isinstance = isinstance
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
_literal_eval = ast.literal_eval
_ast_parse = ast.parse
_ast_walk = ast.walk
_json_loads = json.loads
_json_encode = json.JSONEncoder(ensure_ascii=True, check_circular=False).encode
_setrecursionlimit = sys.setrecursionlimit
_settrace = sys.settrace
_setprofile = sys.setprofile
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


def _read_frame(fd):
    size = int.from_bytes(_read_exact(fd, 4), 'big')
    if size > _MAX_REQUEST_BYTES:
        raise EOFError
    return _json_loads(_read_exact(fd, size))


def _write_frame(fd, message):
    payload = _json_encode(message).encode('ascii')
    data = _len(payload).to_bytes(4, 'big') + payload
    while data:
        data = data[_os_write(fd, data):]


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
    """Undo what a program may have changed in shared interpreter state."""
    _dict_update(_BUILTINS, _BUILTINS_SNAPSHOT)
    for name in [name for name in _BUILTINS if name not in _BUILTINS_SNAPSHOT]:
        del _BUILTINS[name]
    sys.stdout = _DISCARD
    sys.stderr = _DISCARD
    _settrace(None)
    _setprofile(None)
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


def _prctl(libc, option, value):
    if libc.prctl(option, value, 0, 0, 0) != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, 'prctl(%d): %s' % (option, os.strerror(errno)))


def _isolate():
    """Drops every privilege this process can; returns the isolation level reached."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
    libc.unshare.argtypes = [ctypes.c_int]
    parent = os.getppid()
    if os.geteuid() == 0:
        # Root's processes (the JVM) stay unreadable to uid nobody; the saved uid goes too.
        os.setgroups([])
        os.setgid(_NOBODY)
        os.setuid(_NOBODY)
        level = 'UNPRIVILEGED_USER'
    elif libc.unshare(_CLONE_NEWUSER) == 0:
        level = 'USER_NAMESPACE'
    else:
        level = 'NONE'
    _prctl(libc, _PR_SET_NO_NEW_PRIVS, 1)
    # Set after the uid change, which clears it: the worker dies with the JVM thread that
    # started it, even when the JVM is killed.
    _prctl(libc, _PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:
        os._exit(1)
    return level


def _apply_limits(memory_bytes, cpu_seconds):
    limits = [
        (resource.RLIMIT_AS, memory_bytes),
        (resource.RLIMIT_CPU, cpu_seconds),
        (resource.RLIMIT_FSIZE, 0),
        (resource.RLIMIT_NOFILE, _OPEN_FILES),
        (resource.RLIMIT_CORE, 0),
        (resource.RLIMIT_NPROC, 0),
    ]
    for limit, value in limits:
        resource.setrlimit(limit, (value, value))
    # Writing a file then fails with an OSError the program sees, instead of killing us.
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)


def _serve(requests, replies, max_output_chars):
    while True:
        try:
            request = _read_frame(requests)
        except EOFError:
            return
        reply = _handle(request, max_output_chars)
        reply['id'] = request.get('id')
        _write_frame(replies, reply)


def main():
    settings = {key: int(value) for key, value in (arg.split('=', 1) for arg in sys.argv[1:])}
    requests, replies = _take_protocol_fds()
    try:
        isolation = _isolate()
        _apply_limits(settings['memory_bytes'], settings['cpu_seconds'])
    except BaseException as exc:
        _write_frame(replies, {'ready': False, 'error': _describe(exc)})
        raise SystemExit(1)
    _restore_interpreter()
    _write_frame(replies, {'ready': True, 'isolation': isolation, 'pid': os.getpid()})
    _serve(requests, replies, settings['max_output_chars'])


if __name__ == '__main__':
    main()
