"""Cognito's JSON management API (`POST /`, spec §6): X-Amz-Target dispatch, the SigV4 admin gate, wire errors.

Owns the wire format only: every rule lives in `services` or `domain`. May import services, domain and web;
never oauth, hosted_ui, crypto, store or settings (the admin key pair arrives on `app.state`).
"""
