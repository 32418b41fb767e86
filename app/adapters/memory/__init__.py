"""In-process adapters: the stand-ins used when no Redis is configured (a single process)."""
