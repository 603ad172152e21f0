# Exhaustion: map 16 GiB of address space in one call, far past the worker's limit.
def f():
    import mmap
    size = 16 << 30
    try:
        region = mmap.mmap(-1, size, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS | getattr(mmap, 'MAP_NORESERVE', 0))
    except (OSError, OverflowError, ValueError) as error:
        return 'refused: %s' % type(error).__name__
    region.close()
    return escaped('mapped %d GiB' % (size >> 30))
