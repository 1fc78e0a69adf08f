#!/usr/bin/env python3
"""Socket activation without systemd: bind a TCP listener in the *current* (host) network namespace, hand it to the
command as fd 3 with LISTEN_FDS=1 / LISTEN_PID=<this pid>, and exec the command (same PID through unshare / ip netns
exec). Port 0 picks a free port; FDLISTEN_PORT_FILE receives the port actually bound.
Usage: fdlisten.py HOST:PORT CMD [ARGS...]     (dockerd takes it with -H fd://)"""
import os, socket, sys
host, port = sys.argv[1].rsplit(':', 1)
s = socket.socket(socket.AF_INET6 if ':' in host else socket.AF_INET, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((host.strip('[]'), int(port)))
s.listen(128)
if os.environ.get('FDLISTEN_PORT_FILE'):
    with open(os.environ.pop('FDLISTEN_PORT_FILE'), 'w') as f:
        f.write(str(s.getsockname()[1]))
if s.fileno() != 3:
    os.dup2(s.fileno(), 3)  # inheritable by default
    s.close()
os.set_inheritable(3, True)
os.environ['LISTEN_FDS'] = '1'
os.environ['LISTEN_PID'] = str(os.getpid())
os.environ.pop('LISTEN_FDNAMES', None)
os.execvp(sys.argv[2], sys.argv[2:])
