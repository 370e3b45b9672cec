"""Standard Webhooks signatures (https://www.standardwebhooks.com): HMAC-SHA256 over
"{id}.{timestamp}.{body}" with the secret's key, the part after "whsec_", base64-decoded."""

import base64
import hashlib
import hmac
import secrets

SECRET_PREFIX = "whsec_"


def secret_new() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def signature(secret: str, *, message_id: str, timestamp: int, body: bytes) -> str:
    """The "v1,<base64>" signature of one message."""
    key = base64.b64decode(secret.removeprefix(SECRET_PREFIX))
    digest = hmac.new(key, f"{message_id}.{timestamp}.".encode() + body, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def signature_header(secrets_: list[str], *, message_id: str, timestamp: int, body: bytes) -> str:
    """The webhook-signature header: one signature per secret in use, space-separated."""
    return " ".join(signature(s, message_id=message_id, timestamp=timestamp, body=body) for s in secrets_)
