#!/usr/bin/env python3
"""A stand-in for a label printer's raw port: listens on 127.0.0.1 (a port the kernel picks,
written to PORT_FILE), and appends what each connection sends to OUT_FILE as one job.

    print_listener.py PORT_FILE OUT_FILE
"""
import os
import socket
import sys

port_file, out_file = sys.argv[1], sys.argv[2]
server = socket.socket()
server.bind(("127.0.0.1", 0))
server.listen(8)
with open(port_file + ".tmp", "w") as f:
    f.write(str(server.getsockname()[1]))
os.rename(port_file + ".tmp", port_file)
while True:
    conn, _ = server.accept()
    chunks = []
    while True:
        data = conn.recv(65536)
        if not data:
            break
        chunks.append(data)
    conn.close()
    with open(out_file, "ab") as f:
        f.write(b"".join(chunks))
        f.write(b"\n--- end of job ---\n")
