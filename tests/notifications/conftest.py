import pytest

from tests.support.smtp import SmtpServer, use_smtp_server


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Every company and customer factory hashes a password; PBKDF2 would dominate the runtime."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on 127.0.0.1, and Django's email settings pointing at it."""
    server = SmtpServer().start()
    use_smtp_server(settings, server)
    try:
        yield server
    finally:
        server.stop()
