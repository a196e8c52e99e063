"""Duplicate contacts: found as they arrive, reviewed side by side, merged losing nothing."""
