"""One in-memory fake per port, type-checked against the ports, and one `FakeDatabase` handing out
units of work over all of them."""

from tests.support.fakes.accounts import FakePasswordHasher
from tests.support.fakes.cache import RecordingCache
from tests.support.fakes.database import FakeDatabase, FakeUnitOfWork

__all__ = ["FakeDatabase", "FakePasswordHasher", "FakeUnitOfWork", "RecordingCache"]
