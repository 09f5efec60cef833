"""Storage: engine factory, tables, migrations and queries. Never an engine at import time."""
