"""``python -m tejido``: the same as the ``tejido`` command."""

from tejido.cli import main

main()
