"""Kinchart sync."""
