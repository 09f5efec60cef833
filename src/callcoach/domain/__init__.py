"""Pure rules of the collector's craft: no I/O, no database, no UI."""
