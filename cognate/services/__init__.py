"""Use cases of Cognate as plain async functions taking explicit `Deps`.

Owns every rule that spans entities (limits, uniqueness messages, which door may do what). Imports domain,
crypto, the store interface (`store.base`) and the mail protocol; never a web framework.
"""
