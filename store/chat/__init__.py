"""The chat wing: understanding a message and answering it from the catalog, without Discord."""
