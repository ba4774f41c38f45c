"""gui.crise"""
