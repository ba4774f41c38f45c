"""indicateurs"""
