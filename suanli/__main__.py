"""``python -m suanli``: the ``suanli`` command, for a Python whose Scripts folder is not on the PATH
(python.org's Windows installer leaves it off unless asked), as ``py -m suanli ...``."""

import sys

from suanli.cli import main

sys.exit(main())
