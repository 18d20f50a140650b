"""Keeping a household's data safe for years: backup, restore, check and rebuild."""
