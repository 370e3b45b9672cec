"""The project's settings for the test suite: production settings, with the two values they
refuse to start without (DEBUG stays off, as in production). Server processes that tests
start (gunicorn, the worker) inherit both through the environment."""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-secret-key-not-for-any-deployment-0123456789")
os.environ.setdefault("ALLOWED_HOSTS", "localhost,127.0.0.1,testserver")

from stockline.settings import *  # noqa: F403
