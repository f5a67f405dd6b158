"""tracker: a policy and legislation tracking knowledge base."""

__version__ = "0.1.0"
