"""The embedded SQLite backend (apsw): the default, one file, nothing to start."""
