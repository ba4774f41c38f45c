"""Aujourd'hui: the director's home page — what needs attention today, the digest since the last
visit, and the global search. No tables of its own: it reads every area through its public services."""
