"""`python -m desktop` runs the `hearth` command."""

import sys

from desktop.entry import main

sys.exit(main())
