"""crise"""
