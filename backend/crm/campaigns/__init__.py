"""Email campaigns: to groups, segments, single contacts and pasted lists, with consent."""
