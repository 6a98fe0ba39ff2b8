"""The `cognate` command: a door onto the same services as the web surfaces, called in-process.

May import app, services, domain, settings and store (only to construct it).
"""
