"""The activity timeline: an append-only record of what happened to contacts and companies."""
