"""Tokens: minting (`minting`), refresh (`refresh`), revocation (`revocation`), verification (`verification`)
and client-credentials grants (`client_credentials`), one module each."""
