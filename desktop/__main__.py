"""`python -m desktop` runs the `hearth` command."""

import sys

from desktop.cli import main

sys.exit(main())
