"""The vocabulary of bilingual figures (part of :mod:`report.vocab`).

A bilingual page (``report.lang=both``) draws each figure once, for both its halves, with
:class:`BothWords`: each text in Chinese, then English (``心脏骤停 cardiac arrest``; a longer one
joined by ' · ', a long one on two lines). Its texts are :class:`Both` strings that remember their
two parts, so a bilingual word given as a field (``w("cond_target", cond=w.condition(c))``) fills each
language's template with its own part.
"""

from __future__ import annotations

import textwrap

from report.vocab import BOTH, Words

ONE_LINE = 30  # widest bilingual text kept on one line (in Latin characters)
WRAP = 40  # a longer English part is wrapped


class Both(str):
    """A text in Chinese, then English (its value), that keeps its two parts ``zh`` and ``en``."""

    zh: str
    en: str

    @classmethod
    def of(cls, zh, en, sep: str | None = None) -> str:
        """``zh`` and ``en`` joined: one of them if they are the same; with ``sep``, else a space for
        short texts, ' · ' for longer ones and a new line when the two would be wider than
        :data:`ONE_LINE` (CJK characters counted twice)."""
        zh, en = str(zh), str(en)
        if sep is None and len(en) > WRAP and "\n" not in en:
            en = "\n".join(textwrap.wrap(en, WRAP))
        if zh == en:
            text = zh
        elif sep is None:
            wide = width(zh) + width(en)
            text = zh + ("\n" if "\n" in zh + en or wide > ONE_LINE else " · " if wide > 16 else " ") + en
        else:
            text = zh + sep + en
        out = cls(text)
        out.zh, out.en = zh, en
        return out


def width(text: str) -> int:
    """Width of ``text`` in Latin characters (a CJK character is about two)."""
    return sum(2 if ord(ch) >= 0x2E80 else 1 for ch in text)


def _part(v, k: int):
    return (v.zh, v.en)[k] if isinstance(v, Both) else v


class BothWords(Words):
    """The vocabulary of bilingual figures: every text as :class:`Both` (Chinese, then English).

    ``lang`` is ``'both'`` (figure code that tests ``w.lang == 'zh'`` or ``'en'`` takes neither
    language's special case); names, conditions and modes are joined with a space, months on two lines.
    """

    def __init__(self, zh: Words, en: Words):
        super().__init__("zh", zh.names, zh.condition_names)
        self.lang, self.zh, self.en = BOTH, zh, en

    def _both(self, method: str, *args, sep: str | None = None, **kwargs) -> str:
        parts = [getattr(w, method)(*[_part(a, k) for a in args], **{n: _part(v, k) for n, v in kwargs.items()})
                 for k, w in enumerate((self.zh, self.en))]
        return Both.of(*parts, sep=sep)

    def __call__(self, key: str, **fields) -> str:
        return self._both("__call__", key, **fields)

    def metric(self, metric: str, with_unit: bool = True) -> str:
        return self._both("metric", metric, with_unit)

    def labelled(self, label: str, unit: str) -> str:
        return self._both("labelled", label, unit)

    def unit(self, metric: str) -> str:
        return self._both("unit", metric, sep=" ")

    def condition(self, condition: str) -> str:
        return self._both("condition", condition, sep=" ")

    def island(self, island: str) -> str:
        return self._both("island", island, sep=" ")

    def mode(self, mode: str) -> str:
        return self._both("mode", mode, sep=" ")

    def sea_state(self, state: str) -> str:
        return self._both("sea_state", state)

    def area(self, area: str) -> str:
        return self._both("area", area, sep=" ")

    def month(self, k: int) -> str:
        return self._both("month", k, sep="\n")

    def tick(self, key: str) -> str:
        return self._both("__call__", key, sep="\n")

    def money(self, yuan: float) -> str:
        return self._both("money", yuan, sep=" / ")

    def capital(self, text: str) -> str:
        return Both.of(text.zh, self.en.capital(text.en)) if isinstance(text, Both) else self.en.capital(text)

    def join(self, parts, zh_sep: str = "，", en_sep: str = ", ") -> str:
        return Both.of(zh_sep.join(_part(p, 0) for p in parts), en_sep.join(_part(p, 1) for p in parts))
