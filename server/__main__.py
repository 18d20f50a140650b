"""`python -m server` is the `kinchart` command."""

from server.cli import main

main()
