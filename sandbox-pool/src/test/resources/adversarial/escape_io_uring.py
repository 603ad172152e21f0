# Escape: io_uring runs opens, sockets and connects in the kernel, past a seccomp filter.
SYS_IO_URING_SETUP = 425


def f():
    import ctypes, os
    params = ctypes.create_string_buffer(120)
    code, errno = syscall(SYS_IO_URING_SETUP, 4, ctypes.addressof(params))
    if code >= 0:
        os.close(code)
        return escaped('io_uring_setup gave fd %d' % code)
    return 'io_uring refused: errno %d' % errno
