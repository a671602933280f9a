"""The bundled program's entry point: the same `hearth` command as the source install."""

import multiprocessing
import sys

from desktop.entry import main

if __name__ == "__main__":
    multiprocessing.freeze_support()
    sys.exit(main())
