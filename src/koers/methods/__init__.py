"""Pure computation on the domain model and on plain numpy arrays; no I/O."""
