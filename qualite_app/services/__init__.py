"""Use cases: the only writers. Each write is one transaction, journaled by the session."""
