"""``python -m dapreturn`` runs the command line."""

import sys

from dapreturn.cli import main

sys.exit(main())
