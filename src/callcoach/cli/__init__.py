"""The ``callcoach`` command line. Heavy imports (textual, sqlmodel) happen inside commands."""
