"""The errors the services raise, for their callers: defined in ``callcoach.errors``, below
every layer, so the playbook can raise them too."""

from callcoach.errors import StoreError, UserError

__all__ = ["StoreError", "UserError"]
