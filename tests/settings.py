"""The project's settings for the test suite: production settings, with the two values they
refuse to start without (DEBUG stays off, as in production) and local webhook targets
allowed. Server processes that tests start (gunicorn, the worker) inherit them through the
environment."""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-secret-key-not-for-any-deployment-0123456789")
os.environ.setdefault("ALLOWED_HOSTS", "localhost,127.0.0.1,testserver")
# Webhook tests deliver to receivers on 127.0.0.1; the SSRF guard's own tests turn this off.
os.environ.setdefault("WEBHOOK_ALLOW_PRIVATE_URLS", "1")

from stockline.settings import *  # noqa: F403
