import copy
import itertools
import pickle
import time
import uuid

from stockline.core.ids import uuid7, uuid7s


def test_uuid7_is_an_ordinary_version_7_uuid():
    made = uuid7()
    same = uuid.UUID(str(made))
    assert (made.version, made.variant) == (7, uuid.RFC_4122)
    assert made == same and hash(made) == hash(same) and made.bytes == same.bytes
    assert pickle.loads(pickle.dumps(made)) == made and copy.copy(made) == made


def test_uuid7_starts_with_the_current_unix_milliseconds():
    before = time.time_ns() // 1_000_000
    made = uuid7()
    after = time.time_ns() // 1_000_000
    assert before <= made.int >> 80 <= after


def test_uuid7_sorts_by_time_and_is_not_guessable():
    first = uuid7()
    time.sleep(0.002)
    later = [uuid7() for _ in range(2000)]
    assert all(first < made for made in later)
    assert len(set(later)) == len(later)
    # ids made in the same millisecond step up by random amounts: not enumerable
    steps = [b.int - a.int for a, b in itertools.pairwise(later)]
    assert len(set(steps)) > 1990 and all(step > 1 for step in steps)


def test_ids_made_together_are_distinct_version_7_uuids_of_now():
    before = time.time_ns() // 1_000_000
    made = uuid7s(500)
    assert len(set(made)) == 500 and len({one.int & ((1 << 62) - 1) for one in made}) == 500
    assert all((one.version, one.variant) == (7, uuid.RFC_4122) for one in made)
    assert all(before <= one.int >> 80 <= time.time_ns() // 1_000_000 for one in made)
    assert uuid7s(0) == []


def test_ids_made_one_after_another_sort_in_that_order_even_within_a_millisecond():
    made = [i for _ in range(200) for i in uuid7s(3)] + [uuid7() for _ in range(200)]
    assert made == sorted(made)
    assert len(set(made)) == len(made)
    assert all(i.version == 7 and i.variant == uuid.RFC_4122 for i in made)
