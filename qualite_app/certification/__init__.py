"""Certification: référentiels as data, self-assessment campaigns, the evidence store, readiness, the dossier."""
