"""Cognate: a self-hosted identity service that speaks Amazon Cognito's languages."""

__version__ = "0.1.0"
