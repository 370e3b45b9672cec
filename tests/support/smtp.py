"""A real SMTP server on 127.0.0.1 (aiosmtpd) that collects what it is sent.

    server = SmtpServer()          # picks a free port
    server.start()
    ...  point Django at it: settings.EMAIL_BACKEND = ..., or use_smtp_server(settings, server)
    server.stop()                  # outage: connecting now fails with "connection refused"
    server.start()                 # back, on the same port
    server.rcpt_reply = "451 4.3.0 Try again later"   # up but refusing every recipient
    server.data_reply = "554 5.7.1 Rejected"          # up but refusing the message

Every accepted message is parsed with the email package (policy.default) into `messages`;
`envelopes` holds the SMTP envelope (sender, recipients) of each, in the same order.
"""

import email
import email.policy
import socket
import threading
from dataclasses import dataclass
from email.message import EmailMessage

from aiosmtpd.controller import Controller

HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


@dataclass(frozen=True, slots=True)
class Envelope:
    sender: str
    recipients: tuple[str, ...]


class _Handler:
    def __init__(self, server: "SmtpServer"):
        self.server = server

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.server.rcpt_reply:
            return self.server.rcpt_reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.server.data_reply:
            return self.server.data_reply
        self.server._accept(envelope)
        return "250 Message accepted for delivery"


class SmtpServer:
    """Start/stop at will; the port stays the same across restarts."""

    def __init__(self, *, port: int | None = None):
        self.host = HOST
        self.port = port or free_port()
        self.messages: list[EmailMessage] = []
        self.envelopes: list[Envelope] = []
        self.rcpt_reply: str | None = None
        self.data_reply: str | None = None
        self._controller: Controller | None = None
        self._lock = threading.Lock()

    @property
    def running(self) -> bool:
        return self._controller is not None

    def start(self) -> "SmtpServer":
        if self._controller is None:
            controller = Controller(_Handler(self), hostname=self.host, port=self.port, ready_timeout=5)
            controller.start()
            self._controller = controller
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def clear(self) -> None:
        with self._lock:
            self.messages.clear()
            self.envelopes.clear()

    def _accept(self, envelope) -> None:
        parsed = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        with self._lock:
            self.messages.append(parsed)
            self.envelopes.append(Envelope(envelope.mail_from, tuple(envelope.rcpt_tos)))

    def django_settings(self) -> dict:
        """The Django email settings that deliver here (plain SMTP, no auth, short timeout)."""
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": self.host,
            "EMAIL_PORT": self.port,
            "EMAIL_HOST_USER": "",
            "EMAIL_HOST_PASSWORD": "",
            "EMAIL_USE_TLS": False,
            "EMAIL_USE_SSL": False,
            "EMAIL_TIMEOUT": 5,
        }

    def __enter__(self) -> "SmtpServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def use_smtp_server(settings, server: SmtpServer) -> None:
    """Point pytest-django's `settings` fixture at `server` (undone after the test)."""
    for name, value in server.django_settings().items():
        setattr(settings, name, value)
