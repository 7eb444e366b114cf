"""``python -m builder``: the same as the ``kgb`` console script."""

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
