"""The home page: where a staff user starts the day."""
