"""Read-only health views: the timeline, lab trends, the current summary, citations."""
