#!/usr/bin/env python3
"""A one-file replay server for the Native AOT smoke test (.ci/aot-smoke.sh).

Usage: replay_server.py BODY_FILE [STATUS] [CONTENT_TYPE] [REQUEST_LOG]

Listens on 127.0.0.1 on a free port, prints the port on the first line of stdout, then answers every POST with
STATUS (default 200) and BODY_FILE byte for byte, one line per write (a real stream, not one buffer), closing the
connection at the end. Each request's path and body are appended to REQUEST_LOG when given.
"""
import http.server
import sys

body_path = sys.argv[1]
status = int(sys.argv[2]) if len(sys.argv) > 2 else 200
content_type = sys.argv[3] if len(sys.argv) > 3 else "application/x-ndjson"
request_log = sys.argv[4] if len(sys.argv) > 4 else None

with open(body_path, "rb") as f:
    lines = f.read().splitlines(keepends=True)


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"

    def do_POST(self):
        request = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        if request_log:
            with open(request_log, "ab") as log:
                log.write(self.path.encode() + b"\n" + request + b"\n")
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.end_headers()
        for line in lines:
            self.wfile.write(line)
            self.wfile.flush()

    def log_message(self, *args):
        pass


server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
print(server.server_port, flush=True)
server.serve_forever()
