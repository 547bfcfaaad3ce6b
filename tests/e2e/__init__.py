"""End-to-end tests: the real ``paperbot run`` process against a local Discord-compatible server."""
