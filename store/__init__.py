"""The catalog and everything asked of it, knowing nothing of Discord: wings catalog, loading, index, chat."""
