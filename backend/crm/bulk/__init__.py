"""Bulk work on contacts: one action over a selection or a whole list view, in the background."""
