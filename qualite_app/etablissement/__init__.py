"""etablissement"""
