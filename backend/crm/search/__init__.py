"""The search index shared by the lists: contacts and companies (migration 0009)."""
