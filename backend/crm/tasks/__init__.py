"""Tasks and reminders: follow-ups a staff user owes a contact or company."""
