"""The ASGI entry for servers: ``uvicorn --factory koers.web.asgi:app``.

The database comes from ``KOERS_DATABASE`` (a URL or a SQLite file; default: the user's
data folder), the secret key that signs the forms from ``KOERS_SECRET_KEY``. Everyone signs
in (there is no local mode here). Nothing is built at import time; the server calls
:func:`app`.
"""

from __future__ import annotations

import os

from fastapi import FastAPI

from koers.web.app import Settings, create_app

__all__ = ["app"]


def app() -> FastAPI:
    """The workbench app, configured from the environment."""
    language = os.environ.get("KOERS_LANGUAGE", "nl")
    return create_app(
        Settings(
            database=os.environ.get("KOERS_DATABASE") or None,
            language="en" if language == "en" else "nl",
            secret_key=os.environ.get("KOERS_SECRET_KEY") or None,
        )
    )
