"""Zone « Rapports » : registre des rapports émis, note d'information, vérification."""
