"""The web workbench: server-rendered pages and a JSON API over the same context objects."""

from koers.web.app import Settings, create_app, serve

__all__ = ["Settings", "create_app", "serve"]
