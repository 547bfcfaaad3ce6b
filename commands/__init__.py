"""Discord cogs, one per feature (the files here); what they share to render and answer is in `ui/`."""
