# Snooping, step 2 (runs on a worker other than X): read other workers' memory through
# /proc/<pid>/mem and process_vm_readv, looking for the marker step 1 left in X.
SYS_PROCESS_VM_READV = 310


def regions(pid):
    for line in read_file('/proc/%d/maps' % pid, 1 << 20).decode().splitlines():
        fields = line.split()
        if len(fields) >= 2 and fields[1].startswith('rw'):
            start, end = (int(value, 16) for value in fields[0].split('-'))
            if end - start <= 64 << 20:
                yield start, end


def read_with_mem(pid, marker):
    with open('/proc/%d/mem' % pid, 'rb', buffering=0) as memory:
        for start, end in regions(pid):
            try:
                memory.seek(start)
                if marker in memory.read(end - start):
                    return True
            except OSError:
                pass
    return False


def read_with_vm_readv(pid, marker):
    import ctypes
    for start, end in regions(pid):
        size = end - start
        buffer = ctypes.create_string_buffer(size)
        local = (ctypes.c_void_p * 2)(ctypes.addressof(buffer), size)
        remote = (ctypes.c_void_p * 2)(start, size)
        code, errno = syscall(SYS_PROCESS_VM_READV, pid, ctypes.addressof(local), 1, ctypes.addressof(remote), 1, 0)
        if code > 0 and marker in buffer.raw[:code]:
            return True
    return False


def f():
    marker = ('PLANT' + 'ED-' + CANARY['token']).encode()
    found = []
    touched = 0
    for pid in foreign_pids():
        for reader in (read_with_mem, read_with_vm_readv):
            try:
                touched += 1
                if reader(pid, marker):
                    found.append('%s(%d)' % (reader.__name__, pid))
            except Exception:
                pass
    if found:
        return escaped('found the marker of another worker via %r' % found)
    return 'no other worker readable (%d tries)' % touched
