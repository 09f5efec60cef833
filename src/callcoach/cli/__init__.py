"""The ``callcoach`` command line. Heavy imports (textual, the database layer) happen inside commands."""
