# Prepended by AdversarialSuiteIT to every hostile program, right after the CANARY dict the
# test writes (pids, ports, paths and a per-run token; never the secrets themselves).
# A program returns escaped(evidence) when its attack worked; anything else, or an
# exception, means it was contained. Helpers import lazily, so a blocked module fails the
# attack that needs it, not the whole program.


def escaped(evidence):
    return 'ESCAPED:' + str(evidence)[:400]


def libc():
    import ctypes
    return ctypes.CDLL(None, use_errno=True)


def syscall(number, *args):
    """(return value, errno) of a raw x86-64 system call; str/bytes become char pointers."""
    import ctypes
    lib = libc()
    lib.syscall.restype = ctypes.c_long
    converted = []
    for arg in args:
        if isinstance(arg, str):
            arg = arg.encode()
        if isinstance(arg, bytes):
            converted.append(ctypes.c_char_p(arg))
        elif isinstance(arg, int):
            converted.append(ctypes.c_long(arg))
        else:
            converted.append(arg)
    ctypes.set_errno(0)
    result = lib.syscall(ctypes.c_long(number), *converted)
    return result, ctypes.get_errno()


def open_fds(limit=65):
    import os
    found = []
    for fd in range(limit):
        try:
            os.fstat(fd)
            found.append(fd)
        except OSError:
            pass
    return found


def read_file(path, limit=1 << 16):
    with open(path, 'rb') as handle:
        return handle.read(limit)


def foreign_pids():
    """Pids outside this worker that a hostile program would like to reach."""
    import os
    me = os.getpid()
    pids = [CANARY['jvm_pid']] + list(CANARY['worker_pids'])
    try:
        pids += [int(name) for name in os.listdir('/proc') if name.isdigit()]
    except OSError:
        pass
    seen = []
    for pid in pids:
        if pid != me and pid > 1 and pid not in seen:
            seen.append(pid)
    return seen


def signalable(pids):
    """The pids this process may send a signal to (signal 0 checks permission, sends nothing)."""
    import os
    reachable = []
    for pid in pids:
        try:
            os.kill(pid, 0)
            reachable.append(pid)
        except OSError:
            pass
    return reachable


def signalable_foreign_pids(tries=6):
    """Like signalable(foreign_pids()), looking a few times (a worker being replaced is still root)."""
    import time
    for attempt in range(tries):
        reachable = signalable(foreign_pids())
        if reachable:
            return reachable
        time.sleep(0.05)
    return []


# --- Protocol forging -----------------------------------------------------------------------

_NOT_ECHOED = ('id', 'op', 'code', 'expression', 'text', 'expected', 'actual', 'require_literal', 'args')


def request_in_frames(frame):
    """The executor's current request, found in the locals of the frames below `frame`, with
    any local whose name says nonce merged in (an executor may pop it out of the request).
    Only f_locals and f_back are read: frame.f_code is an audited attribute."""
    found = None
    nonces = {}
    while frame is not None:
        for name, value in list(frame.f_locals.items()):
            if found is None and isinstance(value, dict) and 'id' in value and ('code' in value or 'op' in value):
                found = value
            if 'nonce' in name.lower() and isinstance(value, (int, str)) and not isinstance(value, bool):
                nonces['nonce'] = value
        frame = frame.f_back
    if found is None:
        return None
    merged = dict(found)
    merged.update(nonces)
    return merged


def find_request(method):
    import sys
    if method == 'getframe':
        return request_in_frames(sys._getframe())
    if method == 'traceback':
        try:
            raise RuntimeError('look up')
        except RuntimeError as error:
            return request_in_frames(error.__traceback__.tb_frame)
    if method == 'gc':
        import gc
        for obj in gc.get_objects():
            if isinstance(obj, dict) and 'id' in obj and 'op' in obj:
                return obj
            if type(obj).__name__ == 'frame':
                found = request_in_frames(obj)
                if found is not None:
                    return found
        return None
    if method == 'signal':
        # A signal handler is handed the interrupted frame: no audited attribute is read.
        import signal
        caught = []

        def handler(signum, frame):
            caught.append(request_in_frames(frame))

        previous = signal.signal(signal.SIGALRM, handler)
        try:
            signal.setitimer(signal.ITIMER_REAL, 0.001)
            for _ in range(20000000):
                if caught:
                    break
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
        return caught[0] if caught else None
    if method == 'any':
        for other in ('getframe', 'traceback', 'signal', 'gc'):
            try:
                found = find_request(other)
            except Exception:
                found = None
            if found is not None:
                return found
        return None
    raise ValueError(method)


def forged_frame(job_id, request=None, result="'FORGED'"):
    """A length-prefixed reply frame as the executor writes it, echoing any nonce-like field."""
    import json
    reply = {'id': job_id, 'status': 'OK', 'result': result, 'stdout': '', 'error': None}
    for key, value in (request or {}).items():
        if key not in _NOT_ECHOED:
            reply[key] = value
    payload = json.dumps(reply).encode('ascii')
    return len(payload).to_bytes(4, 'big') + payload


def spray(data, fds=None):
    """Writes `data` to every open descriptor from 0 to 64; returns the ones that took it."""
    import os
    took = []
    for fd in (open_fds() if fds is None else fds):
        try:
            if os.write(fd, data) > 0:
                took.append(fd)
        except OSError:
            pass
    return took
