"""Benchmarks (bench/README.md). They run with DEBUG off, as production does, so they bring
the two settings production refuses to start without."""

import os

os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-any-deployment-0123456789")
os.environ.setdefault("ALLOWED_HOSTS", "localhost,127.0.0.1")
