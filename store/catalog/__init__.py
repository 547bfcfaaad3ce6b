"""The catalog wing: the SQLite file, its schema and the questions asked of it (reads, plus removing)."""
