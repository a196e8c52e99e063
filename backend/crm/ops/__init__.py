"""What an operator runs and watches: health probes, metrics, backups."""
