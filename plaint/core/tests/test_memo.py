"""Reads remembered within a block, and only there."""

from plaint.core.memo import memo, memoised


def test_a_read_is_done_once_per_key_within_the_block_and_every_time_outside_it():
    reads = []

    def load(key):
        reads.append(key)
        return key.upper()

    # outside a block every call reads
    assert [memo("a", lambda: load("a")) for _ in range(2)] == ["A", "A"]
    assert reads == ["a", "a"]
    # inside one, each key is read once
    reads.clear()
    with memoised():
        values = [memo(k, lambda k=k: load(k)) for k in ("a", "b", "a", "b")]
    assert (values, reads) == (["A", "B", "A", "B"], ["a", "b"])
    # and a new block reads afresh
    with memoised():
        memo("a", lambda: load("a"))
    assert reads == ["a", "b", "a"]
