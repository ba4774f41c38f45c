"""paqss"""
