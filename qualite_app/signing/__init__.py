"""Signatures électroniques PAdES (pyHanko) : identités, signature, vérification.

pyHanko, fontTools and the certificate validator log their diagnostics as warnings; the verdicts we
give the user carry that information in French, so their loggers get a handler that keeps quiet
(otherwise Python prints them on stderr of the command line).
"""

import logging

for _name in ("pyhanko", "pyhanko_certvalidator", "fontTools"):
    logging.getLogger(_name).addHandler(logging.NullHandler())
