"""The `kinchart` command: `main.py` registers one module per area; they share `_common.py`."""
