"""The index wing: trigram, prefix and full-text indexes and the fuzzy scoring of titles and names."""
