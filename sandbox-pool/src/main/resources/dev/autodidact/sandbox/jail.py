"""Autodidact sandbox jail: puts the calling executor process into its isolation layers.

Called once by executor.py before it serves any request. Every layer is a kernel feature
called directly through ctypes, so the sandbox needs no extra system package:

  P (started by the JVM)  writes the new user namespace's id maps, then only waits
   C                      user, mount, net, pid, ipc, uts and cgroup namespaces; builds a
                          read-only root of /usr plus an empty tmpfs /tmp and pivots into it
    G (pid 1 of its ns)   drops every capability, sets no_new_privs and rlimits, applies
                          Landlock (files, TCP, signals) and seccomp, then returns to serve

Only G returns from enter(); P and C wait for their child and exit with its status. Each
process dies with its parent (PR_SET_PDEATHSIG), and G is pid 1 of its pid namespace, so
killing any of the three from outside ends the whole worker.
"""
import ctypes
import os
import signal
import struct
import sys

NOBODY = 65534

_CLONE_NEWNS = 0x00020000
_CLONE_NEWCGROUP = 0x02000000
_CLONE_NEWUTS = 0x04000000
_CLONE_NEWIPC = 0x08000000
_CLONE_NEWUSER = 0x10000000
_CLONE_NEWPID = 0x20000000
_CLONE_NEWNET = 0x40000000

_MS_RDONLY = 1
_MS_NOSUID = 2
_MS_NODEV = 4
_MS_NOEXEC = 8
_MS_REMOUNT = 32
_MS_NOATIME = 1024
_MS_NODIRATIME = 2048
_MS_BIND = 4096
_MS_REC = 16384
_MS_PRIVATE = 1 << 18
_MS_RELATIME = 1 << 21
_MNT_DETACH = 2
# statvfs flags that are also mount flags and that the kernel locks on an inherited mount.
_LOCKED_STATVFS_FLAGS = _MS_NOEXEC | _MS_NOATIME | _MS_NODIRATIME | _MS_RELATIME

_PR_SET_PDEATHSIG = 1
_PR_CAPBSET_DROP = 24
_PR_SET_SECUREBITS = 28
_PR_SET_NO_NEW_PRIVS = 38
_PR_GET_NO_NEW_PRIVS = 39
# NOROOT, NOROOT_LOCKED, KEEP_CAPS_LOCKED, NO_CAP_AMBIENT_RAISE and its lock.
_SECUREBITS = 0x01 | 0x02 | 0x20 | 0x40 | 0x80
_LINUX_CAPABILITY_VERSION_3 = 0x20080522

_SYS_CAPGET = 125
_SYS_CAPSET = 126
_SYS_PIVOT_ROOT = 155
_SYS_SECCOMP = 317
_SYS_LANDLOCK_CREATE_RULESET = 444
_SYS_LANDLOCK_ADD_RULE = 445
_SYS_LANDLOCK_RESTRICT_SELF = 446

# Landlock file-system rights by ABI version (the kernel refuses rights it does not know).
_LL_EXECUTE, _LL_WRITE_FILE, _LL_READ_FILE, _LL_READ_DIR = 1 << 0, 1 << 1, 1 << 2, 1 << 3
_LL_REMOVE_DIR, _LL_REMOVE_FILE, _LL_MAKE_CHAR, _LL_MAKE_DIR = 1 << 4, 1 << 5, 1 << 6, 1 << 7
_LL_MAKE_REG, _LL_MAKE_SOCK, _LL_MAKE_FIFO, _LL_MAKE_BLOCK = 1 << 8, 1 << 9, 1 << 10, 1 << 11
_LL_MAKE_SYM, _LL_REFER, _LL_TRUNCATE, _LL_IOCTL_DEV = 1 << 12, 1 << 13, 1 << 14, 1 << 15
_LL_FS_V1 = (1 << 13) - 1
_LL_NET_BIND_TCP, _LL_NET_CONNECT_TCP = 1, 2
_LL_SCOPE_ABSTRACT_UNIX_SOCKET, _LL_SCOPE_SIGNAL = 1, 2
_LL_RULE_PATH_BENEATH = 1
_LL_CREATE_RULESET_VERSION = 1
_LL_READ_ONLY = _LL_EXECUTE | _LL_READ_FILE | _LL_READ_DIR
_LL_SCRATCH = (_LL_WRITE_FILE | _LL_READ_FILE | _LL_READ_DIR | _LL_REMOVE_DIR | _LL_REMOVE_FILE
               | _LL_MAKE_DIR | _LL_MAKE_REG | _LL_MAKE_SYM | _LL_TRUNCATE)

# seccomp: what a program may never do. x86_64 numbers; other architectures are refused.
_AUDIT_ARCH_X86_64 = 0xC000003E
_X32_SYSCALL_BIT = 0x40000000
_DENIED_SYSCALLS = {
    # networking
    'socket': 41, 'connect': 42, 'accept': 43, 'bind': 49, 'listen': 50, 'socketpair': 53,
    'accept4': 288,
    # process creation and replacement
    'clone': 56, 'fork': 57, 'vfork': 58, 'execve': 59, 'execveat': 322, 'clone3': 435,
    # other processes: tracing, their memory, signalling them
    'kill': 62, 'ptrace': 101, 'rt_sigqueueinfo': 129, 'tkill': 200, 'tgkill': 234,
    'rt_tgsigqueueinfo': 297, 'process_vm_readv': 310, 'process_vm_writev': 311, 'kcmp': 312,
    'pidfd_send_signal': 424, 'pidfd_open': 434, 'pidfd_getfd': 438, 'process_madvise': 440,
    # namespaces, mounts, roots
    'pivot_root': 155, 'chroot': 161, 'mount': 165, 'umount2': 166, 'unshare': 272, 'setns': 308,
    'open_tree': 428, 'move_mount': 429, 'fsopen': 430, 'fsconfig': 431, 'fsmount': 432,
    'fspick': 433, 'mount_setattr': 442,
    # signal handlers: a handler receives the interrupted frame, which would reach the executor's
    # own frames and secrets (the executor installs what it needs before the filter)
    'rt_sigaction': 13,
    # changing its own confinement (which could also break the executor between jobs)
    'prctl': 157, 'seccomp': 317, 'landlock_create_ruleset': 444, 'landlock_add_rule': 445,
    'landlock_restrict_self': 446,
    # the kernel's own attack surface
    'personality': 135, 'uselib': 134, 'mknod': 133, 'mknodat': 259, 'syslog': 103,
    'vhangup': 153, 'adjtimex': 159, 'acct': 163, 'settimeofday': 164, 'swapon': 167,
    'swapoff': 168, 'reboot': 169, 'sethostname': 170, 'setdomainname': 171, 'iopl': 172,
    'ioperm': 173, 'init_module': 175, 'delete_module': 176, 'quotactl': 179, 'nfsservctl': 180,
    'lookup_dcookie': 212, 'clock_settime': 227, 'kexec_load': 246, 'add_key': 248,
    'request_key': 249, 'keyctl': 250, 'perf_event_open': 298, 'fanotify_init': 300,
    'name_to_handle_at': 303, 'open_by_handle_at': 304, 'clock_adjtime': 305,
    'finit_module': 313, 'kexec_file_load': 320, 'bpf': 321, 'userfaultfd': 323,
    'io_uring_setup': 425, 'io_uring_enter': 426, 'io_uring_register': 427, 'quotactl_fd': 443,
}
_SECCOMP_SET_MODE_FILTER = 1
_SECCOMP_RET_KILL_PROCESS = 0x80000000
_SECCOMP_RET_ERRNO = 0x00050000
_SECCOMP_RET_ALLOW = 0x7FFF0000
_EPERM = 1

_LIBC = ctypes.CDLL(None, use_errno=True)
_LIBC.syscall.restype = ctypes.c_long
_LIBC.prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
_LIBC.unshare.argtypes = [ctypes.c_int]
_LIBC.mount.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_ulong, ctypes.c_char_p]
_LIBC.umount2.argtypes = [ctypes.c_char_p, ctypes.c_int]
_LIBC.sethostname.argtypes = [ctypes.c_char_p, ctypes.c_size_t]


class JailError(Exception):
    """A layer could not be applied; the message names it and the kernel's reason."""


def _check(result, what):
    if result < 0:
        errno = ctypes.get_errno()
        raise JailError('%s: %s' % (what, os.strerror(errno)))
    return result


def _prctl(option, value, what):
    _check(_LIBC.prctl(option, value, 0, 0, 0), what)


def _die_with_parent(parent):
    """Asks for SIGKILL when the parent dies, then makes sure it has not died already."""
    _prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 'prctl(PR_SET_PDEATHSIG)')
    if parent is not None and os.getppid() != parent:
        os._exit(1)


def enter(keep_fds, memory_bytes, cpu_seconds, open_files, scratch_bytes):
    """Applies every layer and returns their report in G; never returns in P or C."""
    outside_uid = NOBODY if os.geteuid() == 0 else os.geteuid()
    outside_gid = NOBODY if os.geteuid() == 0 else os.getegid()
    jvm = os.getppid()
    _die_with_parent(jvm)
    unshared_r, unshared_w = os.pipe()
    mapped_r, mapped_w = os.pipe()
    child = os.fork()
    if child:
        os.close(unshared_w)
        os.close(mapped_r)
        _release(keep_fds)
        _map_ids(child, unshared_r, mapped_w, outside_uid, outside_gid)
        _exit_with(child)
    os.close(unshared_r)
    os.close(mapped_w)
    parent = os.getppid()
    _die_with_parent(parent)
    # One call, so that the other namespaces belong to the new user namespace.
    _check(_LIBC.unshare(_CLONE_NEWUSER | _CLONE_NEWNS | _CLONE_NEWNET | _CLONE_NEWPID | _CLONE_NEWIPC
                         | _CLONE_NEWUTS | _CLONE_NEWCGROUP), 'unshare(user, mount, net, pid, ipc, uts, cgroup)')
    os.write(unshared_w, b'U')
    if os.read(mapped_r, 1) != b'M':
        raise JailError('the parent could not map uid %d into the user namespace' % outside_uid)
    os.close(unshared_w)
    os.close(mapped_r)
    # Inside, uid and gid 65534 are the only ids; outside they are nobody (or the JVM's user).
    os.setresgid(NOBODY, NOBODY, NOBODY)
    os.setresuid(NOBODY, NOBODY, NOBODY)
    # Changing credentials cleared the parent-death signal: ask again.
    _die_with_parent(parent)
    _LIBC.sethostname(b'sandbox', 7)
    _build_root(scratch_bytes)
    child = os.fork()
    if child:
        _release(keep_fds)
        _exit_with(child)
    # From here on this process is pid 1 of its own pid namespace.
    _die_with_parent(None)
    _drop_capabilities()
    _prctl(_PR_SET_NO_NEW_PRIVS, 1, 'prctl(PR_SET_NO_NEW_PRIVS)')
    no_new_privs = _LIBC.prctl(_PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 1
    _apply_rlimits(memory_bytes, cpu_seconds, open_files, scratch_bytes)
    landlock = _apply_landlock()
    _apply_seccomp()
    return {
        'namespaces': ['user', 'mount', 'net', 'pid', 'ipc', 'uts', 'cgroup'],
        'uid': os.getuid(),
        'outside_uid': outside_uid,
        'pid_in_namespace': os.getpid(),
        'filesystem': 'read-only /usr, empty tmpfs /tmp (%d bytes), no /proc, /dev, /home' % scratch_bytes,
        'capabilities': 'none',
        'no_new_privs': no_new_privs,
        'rlimits': True,
        'landlock_abi': landlock['abi'],
        'landlock': landlock['layers'],
        'seccomp': 'deny %d syscalls' % len(_DENIED_SYSCALLS),
    }


def _release(keep_fds):
    """P and C keep none of G's channel, so the JVM sees EOF as soon as G is gone."""
    for fd in keep_fds:
        os.close(fd)


def _exit_with(child):
    _, status = os.waitpid(child, 0)
    os._exit(os.WEXITSTATUS(status) if os.WIFEXITED(status) else 128 + os.WTERMSIG(status))


def _map_ids(child, unshared_r, mapped_w, outside_uid, outside_gid):
    """In P: maps 65534 inside the child's new user namespace onto one outside id."""
    if os.read(unshared_r, 1) != b'U':
        os.waitpid(child, 0)
        os._exit(1)
    try:
        _write('/proc/%d/setgroups' % child, 'deny')
        _write('/proc/%d/uid_map' % child, '%d %d 1\n' % (NOBODY, outside_uid))
        _write('/proc/%d/gid_map' % child, '%d %d 1\n' % (NOBODY, outside_gid))
        os.write(mapped_w, b'M')
    except OSError:
        os.write(mapped_w, b'F')
    os.close(mapped_w)
    os.close(unshared_r)


def _write(path, text):
    fd = os.open(path, os.O_WRONLY)
    try:
        os.write(fd, text.encode('ascii'))
    finally:
        os.close(fd)


def _mount(source, target, fstype, flags, data, what):
    _check(_LIBC.mount(source and source.encode(), target.encode(), fstype and fstype.encode(), flags,
                       data and data.encode()), what)


def _bind_read_only(source, target):
    _mount(source, target, None, _MS_BIND | _MS_REC, None, 'bind ' + source)
    # Flags the kernel locked on the original mount must be repeated, or the remount fails.
    locked = os.statvfs(source).f_flag & _LOCKED_STATVFS_FLAGS
    _mount(None, target, None, _MS_REMOUNT | _MS_BIND | _MS_RDONLY | _MS_NOSUID | _MS_NODEV | locked, None,
           'remount %s read-only' % source)


def _build_root(scratch_bytes):
    """In C: a new root holding only what Python needs, then pivot_root into it."""
    _mount(None, '/', None, _MS_REC | _MS_PRIVATE, None, 'make mounts private')
    root = '/tmp'
    _mount('tmpfs', root, 'tmpfs', _MS_NOSUID | _MS_NODEV, 'size=65536,mode=0755', 'tmpfs root')
    for name in ('usr', 'etc', 'tmp', 'oldroot'):
        os.mkdir(os.path.join(root, name), 0o755)
    _bind_read_only('/usr', root + '/usr')
    for name in ('bin', 'sbin', 'lib', 'lib32', 'lib64', 'libx32'):
        path = '/' + name
        if os.path.islink(path):
            os.symlink(os.readlink(path), os.path.join(root, name))
        elif os.path.isdir(path):
            os.mkdir(os.path.join(root, name), 0o755)
            _bind_read_only(path, os.path.join(root, name))
    # The dynamic loader's cache, for extension modules that link shared libraries.
    if os.path.isfile('/etc/ld.so.cache'):
        os.close(os.open(root + '/etc/ld.so.cache', os.O_CREAT | os.O_WRONLY, 0o644))
        _bind_read_only('/etc/ld.so.cache', root + '/etc/ld.so.cache')
    _mount('tmpfs', root + '/tmp', 'tmpfs', _MS_NOSUID | _MS_NODEV | _MS_NOEXEC,
           'size=%d,nr_inodes=256,mode=1777' % scratch_bytes, 'tmpfs scratch')
    os.chdir(root)
    _check(_LIBC.syscall(_SYS_PIVOT_ROOT, b'.', b'oldroot'), 'pivot_root')
    _check(_LIBC.umount2(b'/oldroot', _MNT_DETACH), 'detach the old root')
    os.rmdir('/oldroot')
    _mount(None, '/', None, _MS_REMOUNT | _MS_BIND | _MS_RDONLY | _MS_NOSUID | _MS_NODEV, None,
           'remount / read-only')
    os.chdir('/tmp')


def _drop_capabilities():
    """In G: no capability in any set, none to regain (securebits), none in the bounding set."""
    _prctl(_PR_SET_SECUREBITS, _SECUREBITS, 'prctl(PR_SET_SECUREBITS)')
    for capability in range(64):
        if _LIBC.prctl(_PR_CAPBSET_DROP, capability, 0, 0, 0) != 0:
            break  # EINVAL past the kernel's last capability
    header = struct.pack('=Ii', _LINUX_CAPABILITY_VERSION_3, 0)
    empty = ctypes.create_string_buffer(24)
    _check(_LIBC.syscall(_SYS_CAPSET, header, empty), 'capset')
    current = ctypes.create_string_buffer(24)
    _check(_LIBC.syscall(_SYS_CAPGET, header, current), 'capget')
    if current.raw != bytes(24):
        raise JailError('capabilities remain after capset')


def _apply_rlimits(memory_bytes, cpu_seconds, open_files, scratch_bytes):
    import resource
    limits = [
        (resource.RLIMIT_AS, memory_bytes),
        (resource.RLIMIT_CPU, cpu_seconds),
        (resource.RLIMIT_FSIZE, scratch_bytes),
        (resource.RLIMIT_NOFILE, open_files),
        (resource.RLIMIT_CORE, 0),
        (resource.RLIMIT_NPROC, 0),
        (resource.RLIMIT_MEMLOCK, 0),
        (resource.RLIMIT_MSGQUEUE, 0),
    ]
    for limit, value in limits:
        resource.setrlimit(limit, (value, value))
    # Writing past RLIMIT_FSIZE then fails with an OSError the program sees, instead of killing us.
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)


def _apply_landlock():
    """Files: read /usr and the loader cache, read-write /tmp, nothing else. No TCP, no signals out."""
    abi = _LIBC.syscall(_SYS_LANDLOCK_CREATE_RULESET, None, 0, _LL_CREATE_RULESET_VERSION)
    if abi < 1:
        raise JailError('Landlock is not available (kernel without CONFIG_SECURITY_LANDLOCK or not in lsm=)')
    fs = _LL_FS_V1 | (_LL_REFER if abi >= 2 else 0) | (_LL_TRUNCATE if abi >= 3 else 0) \
        | (_LL_IOCTL_DEV if abi >= 5 else 0)
    net = _LL_NET_BIND_TCP | _LL_NET_CONNECT_TCP if abi >= 4 else 0
    scoped = _LL_SCOPE_ABSTRACT_UNIX_SOCKET | _LL_SCOPE_SIGNAL if abi >= 6 else 0
    attr = struct.pack('=QQQ', fs, net, scoped)[:24 if abi >= 6 else 16 if abi >= 4 else 8]
    ruleset = _check(_LIBC.syscall(_SYS_LANDLOCK_CREATE_RULESET, attr, len(attr), 0), 'landlock_create_ruleset')
    try:
        scratch = _LL_SCRATCH & fs
        for path, access in (('/usr', _LL_READ_ONLY), ('/etc', _LL_READ_FILE | _LL_READ_DIR), ('/tmp', scratch)):
            fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
            try:
                rule = struct.pack('=Qi', access & fs, fd)
                _check(_LIBC.syscall(_SYS_LANDLOCK_ADD_RULE, ruleset, _LL_RULE_PATH_BENEATH, rule, 0),
                       'landlock_add_rule ' + path)
            finally:
                os.close(fd)
        _check(_LIBC.syscall(_SYS_LANDLOCK_RESTRICT_SELF, ruleset, 0), 'landlock_restrict_self')
    finally:
        os.close(ruleset)
    layers = ['filesystem']
    if net:
        layers.append('tcp')
    if scoped:
        layers += ['signals', 'abstract_unix_sockets']
    return {'abi': abi, 'layers': layers}


def seccomp_program():
    """The BPF filter: wrong architecture kills, a denied call fails with EPERM, the rest runs."""
    ld_arch = (0x20, 0, 0, 4)
    ld_nr = (0x20, 0, 0, 0)
    denied = sorted(set(_DENIED_SYSCALLS.values()))
    program = [ld_arch, None, ld_nr, None]
    for number in denied:
        program.append(None)
    program += [(0x06, 0, 0, _SECCOMP_RET_ALLOW), (0x06, 0, 0, _SECCOMP_RET_ERRNO | _EPERM),
                (0x06, 0, 0, _SECCOMP_RET_KILL_PROCESS)]
    allow, deny, kill = len(program) - 3, len(program) - 2, len(program) - 1

    def jump(at, condition, value, target_true, target_false):
        program[at] = (condition, target_true - at - 1, target_false - at - 1, value)

    jump(1, 0x15, _AUDIT_ARCH_X86_64, 2, kill)       # jeq arch
    jump(3, 0x35, _X32_SYSCALL_BIT, deny, 4)         # jge x32 syscall numbers
    for offset, number in enumerate(denied):
        at = 4 + offset
        jump(at, 0x15, number, deny, at + 1)          # jeq number
    return b''.join(struct.pack('=HBBI', *instruction) for instruction in program)


def _apply_seccomp():
    if os.uname().machine != 'x86_64':
        raise JailError('the seccomp filter is written for x86_64, this host is ' + os.uname().machine)
    code = seccomp_program()
    buffer = ctypes.create_string_buffer(code, len(code))
    fprog = struct.pack('=HxxxxxxQ', len(code) // 8, ctypes.addressof(buffer))
    _check(_LIBC.syscall(_SYS_SECCOMP, _SECCOMP_SET_MODE_FILTER, 0, fprog), 'seccomp(SET_MODE_FILTER)')
