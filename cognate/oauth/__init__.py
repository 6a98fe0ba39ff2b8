"""The OAuth 2.0 / OpenID Connect endpoints of Cognate (discovery and JWKS so far).

May import services, domain and web; never hosted_ui or cognito_api.
"""
