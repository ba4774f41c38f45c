"""``python -m qualite_app`` and the ``qualite`` entry point."""

from __future__ import annotations

import sys


def main() -> int:
    from qualite_app.cli import main as cli_main

    return cli_main(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
