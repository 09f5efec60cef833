"""callcoach: a terminal call assistant for chasing unpaid invoices by phone."""

__version__ = "0.1.0"
