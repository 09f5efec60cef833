"""Readers for the files users really have; each returns plain rows, never touches the db."""
