# A stand-in OTLP/HTTP collector for load runs: answers 200 to every POST on 127.0.0.1:4318 and
# prints how many exports and bytes it took when stopped (Ctrl+C or kill).
import http.server, signal, sys, threading
count = {"posts": 0, "bytes": 0}
class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_POST(self):
        n = int(self.headers.get("Content-Length", "0"))
        self.rfile.read(n)
        count["posts"] += 1; count["bytes"] += n
        self.send_response(200); self.send_header("Content-Type", "application/x-protobuf"); self.send_header("Content-Length", "0"); self.end_headers()
    def log_message(self, *a): pass
def stop(*_):
    raise KeyboardInterrupt
# A background job of a script ignores SIGINT: stop on SIGTERM (kill) too.
signal.signal(signal.SIGTERM, stop)
signal.signal(signal.SIGINT, stop)
s = http.server.ThreadingHTTPServer(("127.0.0.1", 4318), H)
try:
    s.serve_forever()
except KeyboardInterrupt:
    pass
finally:
    print(f"{count['posts']} exports, {count['bytes']} bytes", flush=True)
