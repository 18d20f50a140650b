"""`python -m server` is the `kinchart` command."""

from server.cli.main import main

main()
