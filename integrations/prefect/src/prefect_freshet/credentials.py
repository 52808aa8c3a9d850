"""FreshetCredentials: where Freshet is and the API token to use (a Prefect block)."""

from __future__ import annotations

from prefect.blocks.core import Block
from pydantic import Field, SecretStr

from freshet_client import AsyncFreshetClient, FreshetClient


class FreshetCredentials(Block):
    """Freshet's URL and an API token (scopes ``refresh`` and ``read``).

    Example::

        FreshetCredentials(url="https://freshet.example.com", token="fsh_…").save("prod")
        credentials = FreshetCredentials.load("prod")
    """

    _block_type_name = "Freshet Credentials"
    _block_type_slug = "freshet-credentials"
    _description = "Freshet's URL and an API token, to refresh Tableau extracts from flows."

    url: str = Field(..., description="Freshet's URL, e.g. https://freshet.example.com")
    token: SecretStr = Field(..., description="A Freshet API token (fsh_…) with the refresh and read scopes")
    timeout: float = Field(30.0, description="Seconds to wait for an answer, besides a long-poll's own wait")
    retries: int = Field(3, description="Tries again after connection errors and 5xx answers")

    def get_client(self) -> FreshetClient:
        """A blocking client (use it as a context manager)."""
        return FreshetClient(self.url, self.token.get_secret_value(), timeout=self.timeout, retries=self.retries)

    def get_async_client(self) -> AsyncFreshetClient:
        """An asyncio client (``async with``)."""
        return AsyncFreshetClient(self.url, self.token.get_secret_value(), timeout=self.timeout, retries=self.retries)
