# Forging: find the request through the frame a signal handler is handed (no audited attribute
# on the way), write the matching reply frame everywhere, return normally.
def f():
    request = find_request('signal')
    spray(forged_frame(request['id'] if request else 1, request))
    return 'honest'
