"""The call desk: one Textual screen with the call list, checklist, script and notes."""
