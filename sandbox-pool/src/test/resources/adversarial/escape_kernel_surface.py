# Escape: reach privileged kernel interfaces (bpf maps, userfaultfd) used by most kernel exploits.
SYS_BPF, SYS_USERFAULTFD = 321, 323


def f():
    import ctypes, os, struct
    gained = []
    attr = ctypes.create_string_buffer(struct.pack('IIII', 2, 4, 4, 1), 128)  # BPF_MAP_TYPE_ARRAY
    code, errno = syscall(SYS_BPF, 0, ctypes.addressof(attr), 128)  # BPF_MAP_CREATE
    if code >= 0:
        os.close(code)
        gained.append('bpf map')
    code, errno = syscall(SYS_USERFAULTFD, os.O_CLOEXEC)
    if code >= 0:
        os.close(code)
        gained.append('userfaultfd')
    if gained:
        return escaped(gained)
    return 'refused'
