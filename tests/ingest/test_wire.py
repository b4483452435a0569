"""The compact pickles that carry parsed exports from a batch's worker to its writer."""

from __future__ import annotations

import pickle

from hypothesis import given, settings
from hypothesis import strategies as st

from tejido.ingest.linkedin_files import Contacts, Messages
from tejido.ingest.wire import pack_ints, pack_text, unpack_ints, unpack_text

PROPERTY = settings(max_examples=300, deadline=None)
# Text with the separator and other control characters in it, as hostile files hold.
TEXT = st.text(st.characters(codec="utf-8") | st.sampled_from('\x1f\x00\n\r,"'), max_size=30)


@PROPERTY
@given(st.lists(st.none() | TEXT, max_size=40))
def test_text_columns_come_back_as_they_went(values: list[str | None]) -> None:
    assert unpack_text(pickle.loads(pickle.dumps(pack_text(values)))) == values


@PROPERTY
@given(st.lists(st.integers(min_value=-(2**63), max_value=2**63 - 1), max_size=40))
def test_integer_columns_come_back_as_they_went(values: list[int]) -> None:
    assert unpack_ints(pack_ints(values)) == values


def test_a_value_holding_the_separator_ships_the_column_as_it_is() -> None:
    assert pack_text(["a", "b\x1fc"]) == ["a", "b\x1fc"]
    assert pack_text(["a", None, "b"]) == ("a\x1f\x1fb", [1])


def test_contacts_and_messages_pickle_to_equal_columns() -> None:
    contacts = Contacts(
        line=[4, 5],
        first=["Ana", None],
        last=["Ruiz", "Ó'Brien"],
        linkedin=["in/ana", None],
        email=[None, "x@y.example"],
        company=["Acme, S.L.", ""],
        position=["<script>alert(1)</script>", None],
        connected_on=["2019-10-03", None],
    )
    assert pickle.loads(pickle.dumps(contacts)) == contacts
    ana, luis, eva = ("Ana Ruiz", "in/ana"), ("Luis Gil", None), ("Eva", "in/eva")
    group = [luis, eva]  # one conversation's recipients, shared by its messages
    messages = Messages(
        line=[2, 3, 4],
        conversation=["c1", "c1", "c2"],
        title=[None, None, "t"],
        sender=[ana, ana, eva],
        recipients=[group, group, [ana]],
        at=["2026-01-02 10:00:00", None, "2026-01-03 11:00:00"],
        subject=[None, "", "hola"],
        content=["line one\nline two", "x\x1fy", None],
        folder=["INBOX", "INBOX", "SENT"],
    )
    back = pickle.loads(pickle.dumps(messages))
    assert back == messages
    assert back.recipients[0] is back.recipients[1]  # still shared, as the parse made them
    empty = Messages()
    assert pickle.loads(pickle.dumps(empty)) == empty
