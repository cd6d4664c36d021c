"""``python -m toevlucht.cli``: the ``toevlucht`` command."""

import sys

from toevlucht.cli import main

sys.exit(main())
