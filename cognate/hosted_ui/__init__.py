"""The hosted UI: sign-in, sign-up, confirmation, forgot password, new password, sign-out and error pages.

May import services, domain, web and `cognate.oauth.interaction` only.
"""
