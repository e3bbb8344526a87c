from __future__ import annotations

import pydantic
import pytest

from koers.model import Text


def test_text_falls_back_to_the_other_language() -> None:
    assert Text(nl="langer").get("en") == "langer"
    assert Text(nl="langer", en="longer").get("en") == "longer"


def test_text_needs_one_language() -> None:
    with pytest.raises(pydantic.ValidationError, match="at least one language"):
        Text()


@pytest.mark.parametrize("odd", ["\x07", "\r", "\u2028", "\x85"])
def test_text_refuses_control_characters(odd: str) -> None:
    with pytest.raises(pydantic.ValidationError, match="control character"):
        Text(nl=f"a{odd}b")


def test_text_keeps_newlines_and_tabs() -> None:
    assert Text(nl="a\n\tb").nl == "a\n\tb"
