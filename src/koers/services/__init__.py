"""Use cases: what a person asks of Koers, composed from the model, methods and adapters."""
