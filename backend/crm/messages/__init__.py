"""Secure messages: one conversation per contact between the staff and that portal contact."""
