import pytest


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Every company factory hashes a password; PBKDF2 would dominate the runtime."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
