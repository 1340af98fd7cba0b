"""The state store: state.json, the journal of an apply in progress, and the state lock.

`StateStore(path).read()` returns the state for planning. `StateStore(path).lock(...)` yields
a `Session` whose `record` makes events durable before requests go out. Event constructors
are in `loomta_sync.state.journal`.
"""

from loomta_sync.state.gitignore import ensure_gitignore
from loomta_sync.state.lock import LockHolder, break_lock, read_holder
from loomta_sync.state.session import Session
from loomta_sync.state.store import StateStore

__all__ = ["LockHolder", "Session", "StateStore", "break_lock", "ensure_gitignore", "read_holder"]
