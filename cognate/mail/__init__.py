"""Outgoing mail: the `Mailer` protocol, SMTP delivery and the outbox directory (contracts table: email).

May import `cognate.domain` only.
"""
