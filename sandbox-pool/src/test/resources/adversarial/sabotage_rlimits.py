# Sabotage: lower the soft address-space limit a later job inherits to 32 MiB beyond what is
# mapped now. (Lowering the open-files limit instead only kills the worker: contained.)
import resource

# The room left under the address-space limit, found by allocating (and freeing) at once.
low, high = 0, 1 << 30
while high - low > 1 << 20:
    middle = (low + high) // 2
    try:
        bytearray(middle)
        low = middle
    except MemoryError:
        high = middle
soft, hard = resource.getrlimit(resource.RLIMIT_AS)
if soft != resource.RLIM_INFINITY:
    resource.setrlimit(resource.RLIMIT_AS, (max(soft - low + (32 << 20), 1 << 20), hard))


def f():
    return 'address space limit lowered (room was %d MiB)' % (low >> 20)
