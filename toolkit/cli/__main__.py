"""``python -m toolkit.cli``: the ``toolkit`` command."""

import sys

from toolkit.cli.commands import main

sys.exit(main())
