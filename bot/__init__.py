"""Bot start-up, configuration and the `paperbot` command line."""
