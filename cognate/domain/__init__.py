"""Pure value types and rules of user pools, clients, domains, users and groups.

Owns: Cognito's validation rules and error names. Imports nothing of cognate and does no I/O.
"""
