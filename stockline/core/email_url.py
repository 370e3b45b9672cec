"""Turn EMAIL_URL into Django email settings (console://, file:///dir, locmem://, smtp://...)."""

from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit


def email_settings_from_url(url: str, *, var_dir: Path) -> dict:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "console":
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if scheme == "locmem":
        return {"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    if scheme == "file":
        path = unquote(parts.path) or str(var_dir / "mail")
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": path,
        }
    if scheme in {"smtp", "smtps", "submission"}:
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        default_port = {"smtp": 25, "smtps": 465, "submission": 587}[scheme]
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": parts.hostname or "localhost",
            "EMAIL_PORT": parts.port or default_port,
            "EMAIL_HOST_USER": unquote(parts.username or ""),
            "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
            "EMAIL_USE_SSL": scheme == "smtps",
            "EMAIL_USE_TLS": scheme == "submission" or query.get("tls") in {"1", "true"},
            "EMAIL_TIMEOUT": int(query.get("timeout", "10")),
        }
    raise ValueError(f"Unsupported EMAIL_URL scheme: {scheme!r}")
