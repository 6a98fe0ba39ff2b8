"""The ceiling of workload 1 in Python: a bare ASGI app under the same uvicorn (uvloop, httptools, no access log)
that answers every `POST /oauth2/token` with one RS256-sized signature and a JSON body — no routing, parsing,
client check, claims, audit or metrics. `bench/run.py` measures it beside Cognate, so "Cognate/baseline" says how
much of the per-CPU-second budget Cognate's own work takes. Never imported by Cognate.
"""

from __future__ import annotations

import base64
import json
import os
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
CLAIMS = json.dumps({"sub": "x" * 26, "token_use": "access", "scope": "bench-api/read", "jti": "0" * 36}).encode()
HEADERS = [(b"content-type", b"application/json;charset=UTF-8"), (b"cache-control", b"no-store")]


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] == "lifespan":
        while (await receive())["type"] != "lifespan.shutdown":
            await send({"type": "lifespan.startup.complete"})
        await send({"type": "lifespan.shutdown.complete"})
        return
    while (await receive()).get("more_body"):
        pass
    payload = base64.urlsafe_b64encode(CLAIMS + os.urandom(16)).rstrip(b"=")
    signature = KEY.sign(payload, padding.PKCS1v15(), hashes.SHA256())
    token = payload + b"." + base64.urlsafe_b64encode(signature).rstrip(b"=")
    body = b'{"access_token":"' + token + b'","expires_in":3600,"token_type":"Bearer"}'
    await send({"type": "http.response.start", "status": 200,
                "headers": [*HEADERS, (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
