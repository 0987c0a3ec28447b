# A stand-in OTLP/HTTP collector for load runs: answers 200 to every POST on 127.0.0.1:4318 and
# prints how many exports and bytes it took when stopped (Ctrl+C).
import http.server, sys, threading
count = {"posts": 0, "bytes": 0}
class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_POST(self):
        n = int(self.headers.get("Content-Length", "0"))
        self.rfile.read(n)
        count["posts"] += 1; count["bytes"] += n
        self.send_response(200); self.send_header("Content-Type", "application/x-protobuf"); self.send_header("Content-Length", "0"); self.end_headers()
    def log_message(self, *a): pass
s = http.server.ThreadingHTTPServer(("127.0.0.1", 4318), H)
try:
    s.serve_forever()
finally:
    print(count, flush=True)
