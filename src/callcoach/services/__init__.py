"""Use cases shared by the CLI and the TUI. They take a session; none imports textual."""
