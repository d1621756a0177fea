"""`python -m storage users ...`: see storage/cli.py."""

from storage.cli import main

raise SystemExit(main())
