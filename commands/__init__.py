"""Discord cogs, one per feature; thin glue over `store/`."""
