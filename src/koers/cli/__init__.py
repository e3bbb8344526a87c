"""The ``koers`` command line: a thin shell over the services."""

from koers.cli.app import app, main

__all__ = ["app", "main"]
