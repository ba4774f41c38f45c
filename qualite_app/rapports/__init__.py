"""rapports"""
