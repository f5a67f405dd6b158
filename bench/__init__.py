"""tracker's benchmark suite: `python -m bench [--scale small|medium|large] [--db URL] [--json]`."""
