"""Reading documents: type detection, OCR, page text with word boxes, page images.

Knows nothing about the web or the database: it takes a file and returns a `Reading`.
"""
