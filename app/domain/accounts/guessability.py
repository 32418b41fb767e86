"""zxcvbn's guess estimate, with its word lists held compactly and its user inputs per call.

zxcvbn 4.5 keeps its ~95 000 ranked words (common passwords, English words, names) as Python
dicts, about 12 MB in every process that checks a password. Here each list stays the one text
zxcvbn's source has, with a table of ranks hashed by word (about 3 MB for all, zxcvbn's modules
included), and the ranks are exactly zxcvbn's. zxcvbn's entry point also stores the user's inputs
in its module-level dicts, where concurrent checks (run in threads) would overwrite them; here
that entry reads the current check's own.
"""

from __future__ import annotations

import ast
import sys
import threading
import types
from array import array
from collections.abc import Iterable, Iterator, Mapping
from contextvars import ContextVar
from importlib.util import find_spec
from pathlib import Path
from typing import Any

_lock = threading.Lock()
_installed = False
_user_inputs: ContextVar[dict[str, int]] = ContextVar("zxcvbn_user_inputs", default={})  # noqa: B039


class RankedWords(Mapping[str, int]):
    """zxcvbn's {word: rank} for one list given as text (rank n is the n-th word; a repeated word
    keeps its last rank, as in zxcvbn's dict). An open-addressing table of ranks over the text:
    about 25 bytes a word, the text included, where a dict of strings takes about 130; built one
    word at a time, so building leaves no scattered garbage behind."""

    def __init__(self, text: str, separator: str) -> None:
        self._text = text
        # Where the word of each rank starts (index rank - 1), and one past the end.
        starts = array("I", [0])
        at = text.find(separator)
        while at != -1:
            starts.append(at + len(separator))
            at = text.find(separator, at + len(separator))
        starts.append(len(text) + len(separator))
        self._starts = starts
        self._separator_length = len(separator)
        words = len(starts) - 1
        size = 1 << (2 * words).bit_length()  # at most half full: probes stay short
        self._slots = array("I", bytes(4 * size))  # a rank, or 0 for an empty slot
        self._count = 0
        for rank in range(1, words + 1):
            slot = self._slot(self._word(rank))
            self._count += self._slots[slot] == 0
            self._slots[slot] = rank

    def _word(self, rank: int) -> str:
        return self._text[self._starts[rank - 1] : self._starts[rank] - self._separator_length]

    def _slot(self, word: str) -> int:
        """The slot holding `word`'s rank, or the empty one it would take."""
        mask = len(self._slots) - 1
        at = hash(word) & mask
        while (rank := self._slots[at]) and self._word(rank) != word:
            at = (at + 1) & mask
        return at

    def __getitem__(self, word: str) -> int:
        rank = self._slots[self._slot(word)] if isinstance(word, str) else 0
        if not rank:
            raise KeyError(word)
        return rank

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and self._slots[self._slot(word)] != 0

    def __iter__(self) -> Iterator[str]:
        return (self._word(rank) for rank in self._slots if rank)

    def __len__(self) -> int:
        return self._count


def estimate(password: str, user_inputs: Iterable[str]) -> dict[str, Any]:
    """zxcvbn's result for `password` (score, match sequence, feedback), its user inputs being
    `user_inputs`. The password must be at most zxcvbn's length cap (72)."""
    _install_dictionaries()  # before zxcvbn's modules, which it imports without their dicts
    from zxcvbn import feedback, matching, scoring, time_estimates

    own = _user_inputs.set(matching.build_ranked_dict([word.lower() for word in user_inputs]))
    try:
        matches = matching.omnimatch(password)
        result: dict[str, Any] = dict(scoring.most_guessable_match_sequence(password, matches))
    finally:
        _user_inputs.reset(own)
    result.update(time_estimates.estimate_attack_times(result["guesses"]))
    result["feedback"] = feedback.get_feedback(result["score"], result["sequence"])
    return result


class _ThisCallsUserInputs(Mapping[str, int]):
    """zxcvbn's `user_inputs` dictionary as the current check sees it. Its matchers (and its
    repeat matcher's inner pass) read the module's dicts; this entry reads a context variable,
    so concurrent checks do not see each other's inputs."""

    def __getitem__(self, word: str) -> int:
        return _user_inputs.get()[word]

    def __contains__(self, word: object) -> bool:
        return word in _user_inputs.get()

    def __iter__(self) -> Iterator[str]:
        return iter(_user_inputs.get())

    def __len__(self) -> int:
        return len(_user_inputs.get())


def _install_dictionaries() -> None:
    global _installed
    with _lock:
        if _installed:
            return
        compact = {name: RankedWords(*words) for name, words in _word_lists()}
        # zxcvbn.matching builds its dicts from `frequency_lists` when imported: an empty
        # stand-in makes it build none; the compact ones take their places, in zxcvbn's order.
        if "zxcvbn.matching" not in sys.modules:
            stand_in = types.ModuleType("zxcvbn.frequency_lists")
            stand_in.FREQUENCY_LISTS = {}  # type: ignore[attr-defined]
            sys.modules["zxcvbn.frequency_lists"] = stand_in
        from zxcvbn import matching

        # Typed as dicts; zxcvbn's matchers only look words up and iterate them.
        ranked: dict[str, Mapping[str, int]] = matching.RANKED_DICTIONARIES  # type: ignore[assignment]
        ranked.clear()
        ranked.update(compact)
        ranked["user_inputs"] = _ThisCallsUserInputs()
        _installed = True


def _word_lists() -> Iterator[tuple[str, tuple[str, str]]]:
    """zxcvbn's lists, read from its `frequency_lists.py` without running it: a dict literal of
    `"name": "word,word,…".split(",")`."""
    spec = find_spec("zxcvbn")
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError("zxcvbn")
    source = Path(spec.origin).with_name("frequency_lists.py").read_text(encoding="utf-8")
    [assignment] = ast.parse(source).body
    if not (isinstance(assignment, ast.Assign) and isinstance(assignment.value, ast.Dict)):
        raise ValueError("zxcvbn's frequency_lists.py is not the dict literal this reads")
    for key, value in zip(assignment.value.keys, assignment.value.values, strict=True):
        match key, value:
            case ast.Constant(str(name)), ast.Call(
                ast.Attribute(ast.Constant(str(text)), "split"), [ast.Constant(str(separator))]
            ):
                yield name, (text, separator)
            case _:
                raise ValueError("an entry of zxcvbn's frequency_lists.py is not a split string")
