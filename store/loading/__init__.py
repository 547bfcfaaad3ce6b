"""The loading wing: parsing listings and arXiv JSON Lines, and writing them into a catalog atomically."""
