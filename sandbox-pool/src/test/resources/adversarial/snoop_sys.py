# Snooping: /sys (network interfaces, machine identity, cgroups).
def f():
    import os
    found = []
    for directory in ('/sys/class/net', '/sys/fs/cgroup', '/sys/kernel'):
        try:
            entries = os.listdir(directory)
        except OSError:
            continue
        if entries:
            found.append('%s: %r' % (directory, sorted(entries)[:4]))
    for path in ('/sys/class/dmi/id/product_uuid', '/sys/devices/virtual/dmi/id/board_serial'):
        try:
            read_file(path, 64)
            found.append(path)
        except OSError:
            pass
    if found:
        return escaped(found)
    return 'no /sys'
