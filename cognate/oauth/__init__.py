"""The OAuth 2.0 / OpenID Connect authorization server: authorize, token, userInfo, revoke, discovery and JWKS.

`routes.py` holds thin endpoints; `authorize.py`, `token.py` (the grant dispatcher), `userinfo.py` and `revoke.py`
run the protocol steps; `interaction.py` is the contract with the hosted UI. Rules live in services and domain.
May import services, domain and web; never hosted_ui or cognito_api.
"""
