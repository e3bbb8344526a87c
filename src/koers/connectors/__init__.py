"""Connectors to outside data services: CBS StatLine and the municipal mergers it needs.

See docs/cbs.md for how the connector works and why it is a thin client.
"""
