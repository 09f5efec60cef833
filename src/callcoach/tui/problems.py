"""What went wrong, in the collector's language: the playbook's rendering, for the screens."""

from callcoach.playbook.problems import in_language, say

__all__ = ["in_language", "say"]
