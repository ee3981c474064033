# SPDX-License-Identifier: MIT
"""A webhook receiver for tests: appends each POST body, as one line, to a file.

    python3 webhook_sink.py PORTFILE OUT

binds 127.0.0.1 on a free port, writes the port to PORTFILE, serves until killed.
"""
import http.server
import sys


class Sink(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        with open(sys.argv[2], "ab") as f:
            f.write(body.rstrip(b"\n") + b"\n")
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


server = http.server.HTTPServer(("127.0.0.1", 0), Sink)
with open(sys.argv[1], "w") as f:
    f.write("%d\n" % server.server_address[1])
server.serve_forever()
