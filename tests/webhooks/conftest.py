import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


class Receiver:
    """A real HTTP server on 127.0.0.1 that records every POST; `answers` (status codes) are
    given in turn, then 200 for ever."""

    def __init__(self):
        self.requests: list[dict] = []
        self.answers: list[int] = []
        self.lock = threading.Lock()
        self.hold: threading.Event | None = None  # when set: the first request waits on it
        self.held = False
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # answer at once: no delayed-ACK stall per request

            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                if receiver.hold is not None and not receiver.held:
                    receiver.held = True
                    receiver.hold.wait(60)
                    self.close_connection = True
                    return  # the sender was killed meanwhile: nobody reads an answer
                with receiver.lock:
                    receiver.requests.append({"headers": dict(self.headers), "body": body})
                    status = receiver.answers.pop(0) if receiver.answers else 200
                reply = b"ok" if status < 300 else b"try later"
                self.send_response(status)
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def envelopes(self) -> list[dict]:
        return [json.loads(r["body"]) for r in self.requests]

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    made = Receiver()
    yield made
    made.close()
