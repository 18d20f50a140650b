"""Appointments per person, and each user's secret calendar feed of the ones they may see."""
