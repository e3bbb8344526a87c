"""Browser tests (a package, so that this conftest.py and tests/conftest.py do not clash)."""
