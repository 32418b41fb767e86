"""The rules of Nexus, in plain Python: no web framework, database driver or HTTP client here."""
