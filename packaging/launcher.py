"""Entry script of the PyInstaller bundle: the same ``main`` as the ``qualite`` command."""

import sys

from qualite_app.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
