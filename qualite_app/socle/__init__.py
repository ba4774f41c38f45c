"""socle"""
