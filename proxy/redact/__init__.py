"""Pseudonymisation: personal data in a request is replaced by typed placeholders (〔人名1〕) before it leaves.

``vault`` issues and remembers the placeholders of one request (in memory only); ``rewrite`` puts them into
the text and back into the exact places of the JSON payload the text came from; ``restore`` (whole bodies)
and ``sse`` (streams, placeholders split anywhere) put the original values back into the answer.
"""
