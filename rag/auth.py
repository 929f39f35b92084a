"""Optional bearer-token auth: with RAG_API_TOKEN set, writes need `Authorization: Bearer <token>`, and reads too
when RAG_PROTECT_READS is on. Health probes and the API docs stay open."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.exceptions import HTTPException

from rag.errors import InvalidInputError

bearer = HTTPBearer(auto_error=False, description="The value of RAG_API_TOKEN")
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]


class BearerAuth:
    def __init__(self, token: str | None, *, protect_reads: bool = False) -> None:
        if token is not None and not token.strip():
            raise InvalidInputError("RAG_API_TOKEN is set but empty; unset it to turn auth off, or set a real token")
        if protect_reads and token is None:  # fail closed: reads the operator asked to protect never run open
            raise InvalidInputError("RAG_PROTECT_READS=true needs RAG_API_TOKEN; set a token, or turn "
                                    "RAG_PROTECT_READS off to serve reads openly")
        self._token = token.encode() if token else None
        self.protects_writes = token is not None
        self.protects_reads = token is not None and protect_reads

    def check(self, credentials: HTTPAuthorizationCredentials | None) -> None:
        if self._token is None:
            return
        if credentials is None:
            raise HTTPException(401, "this endpoint needs the header 'Authorization: Bearer <RAG_API_TOKEN>'",
                                headers={"WWW-Authenticate": "Bearer"})
        if not hmac.compare_digest(credentials.credentials.encode(), self._token):
            raise HTTPException(401, "the bearer token is not the server's RAG_API_TOKEN",
                                headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})

    def dependencies(self, *, write: bool) -> list:
        """Route dependencies: none when this kind of endpoint is open, so the OpenAPI schema says what is."""
        if not (self.protects_writes if write else self.protects_reads):
            return []

        def require_token(credentials: Credentials) -> None:
            self.check(credentials)

        return [Depends(require_token)]
