"""Every write to complaints goes through a function here; see docs/contributing.

Each service takes the ``actor`` keyword, checks the role-and-level policy and
the lifecycle, writes one event, and runs inside the caller's transaction (or
its own). Side effects (mail) are queued in the outbox and sent after commit.
"""
