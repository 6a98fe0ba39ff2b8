"""Token-endpoint grants (RFC 6749 §4.1.3, §4.4, §6): each implements only its own part.

Client authentication, flow and scope policy and response writing belong to the dispatcher in `oauth.token`.
"""
