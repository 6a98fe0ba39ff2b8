"""HTTP plumbing shared by the web surfaces: request ids, structured access logs, error pages for 5xx.

May import services and domain; never a surface (oauth, hosted_ui, cognito_api).
"""
