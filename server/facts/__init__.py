"""Health facts in the database: written when a document is read, reviewed by people.

`records` turns what `ocr.facts` read into rows, `persist` writes them (and keeps what people
reviewed), `service` is the access-checked way to read and change them, `review` the web
pages and `cli` the `kinchart facts` command. `reading` runs inside OCR child processes, so
it imports nothing from the web or the database.
"""

# Raise when the rows written for a document change (extractor or conversion): ready
# documents with a lower `Document.facts_version` are read again in the background.
FACTS_VERSION = 5  # 2: vitals a kind of their own, a confidence on each fact, narrative vetted;
# 3: FHIR R4 records read for facts; 4: the same result from several sources linked
# (same.py), FHIR XML read, FHIR Procedures as facts; 5: C-CDA Procedures as facts
