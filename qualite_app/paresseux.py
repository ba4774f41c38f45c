"""Names of a package imported on first use (PEP 562): the areas' ``services`` packages list each public
name's submodule in a table (``_OU``: name → (module, attribute)) so that what a caller does not ask stays
unread — the home page loads the action list without the action editor's services."""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import Any


def a_la_demande(package: str, ou: dict[str, tuple[str, str]], namespace: dict[str, Any]) -> Callable[[str], Any]:
    """The package's ``__getattr__``: imports the name's submodule, keeps the value in the package."""

    def __getattr__(name: str) -> Any:  # noqa: N807
        try:
            module, attr = ou[name]
        except KeyError:
            raise AttributeError(f"module {package!r} has no attribute {name!r}") from None
        value = getattr(import_module(module), attr)
        namespace[name] = value
        return value

    return __getattr__
