"""A user's query string -> a small syntax tree, repaired where it is malformed.

The grammar is the one CONTRACTS.md ("How a query is read") promises:

    query   := item*
    item    := ["-" | "NOT "] ["title:"] (word | "quoted text")
    between two items, "OR" (or "|") widens: a OR b c  ==  (a | b) & c

Nothing here raises: unbalanced quotes are closed, lone operators are dropped,
control characters and unpaired surrogates are removed, wildcards are taken
out (we never expand them), and an overlong query is cut to a sane length.
Every repair leaves a readable note in `ParsedQuery.messages`.

Words are not analysed here (that needs the segmenter): this module only
splits the string, so it is cheap and pure.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

MAX_QUERY_CHARS = 500
MAX_WORDS = 32

# Opening quote -> the closing quotes it accepts.
_QUOTES = {
    '"': ('"', "”"),
    "“": ("”", '"'),
    "”": ("”", '"', "“"),
    "„": ("“", "”", '"'),
    "「": ("」",),
    "『": ("』",),
    "«": ("»",),
}
_TITLE_PREFIXES = ("title:", "标题:", "標題:")
_NEGATORS = ("-", "−", "–")
_OR_WORDS = {"OR", "|", "||", "或"}
_AND_WORDS = {"AND", "&", "&&"}
_NOT_WORDS = {"NOT"}


@dataclass(frozen=True)
class Clause:
    """One word or quoted phrase, as the user typed it (operators removed)."""

    text: str
    phrase: bool = False
    field: str | None = None  # None: title and body; "title": the title only
    negated: bool = False

    def display(self) -> str:
        out = f'"{self.text}"' if self.phrase else self.text
        if self.field:
            out = f"{self.field}:{out}"
        if self.negated:
            out = "-" + out
        return out


@dataclass
class ParsedQuery:
    text: str  # the cleaned query (what we actually searched for)
    groups: list[list[Clause]] = field(default_factory=list)  # AND of OR-groups
    excluded: list[Clause] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not self.groups and not self.excluded

    def clauses(self) -> list[Clause]:
        return [c for g in self.groups for c in g] + list(self.excluded)


# ---------------------------------------------------------------- cleaning

def clean_text(raw, messages: list[str]) -> str:
    """NFKC, no control characters or unpaired surrogates, bounded length."""
    if raw is None:
        return ""
    if not isinstance(raw, str):
        raw = str(raw)
    removed_controls = False
    out = []
    for ch in raw:
        code = ord(ch)
        if 0xD800 <= code <= 0xDFFF:
            removed_controls = True
            continue
        cat = unicodedata.category(ch)
        if ch in "\t\n\r\u3000" or cat in ("Zs", "Zl", "Zp"):
            out.append(" ")
        elif cat == "Cc":
            removed_controls = True
        elif cat in ("Cf", "Co", "Cn"):
            # zero-width spaces, BOMs, private use, unassigned: invisible noise
            continue
        else:
            out.append(ch)
    text = "".join(out)
    if removed_controls:
        messages.append("Removed control characters from the query.")
    text = unicodedata.normalize("NFKC", text)
    text = " ".join(text.split())
    if len(text) > MAX_QUERY_CHARS:
        cut = text[:MAX_QUERY_CHARS]
        space = cut.rfind(" ")
        if space > MAX_QUERY_CHARS * 0.8:
            cut = cut[:space]
        text = cut.strip()
        messages.append(f"The query was too long: only its first {len(text)} characters were searched.")
    return text


_WILDCARD_INSIDE = re.compile(r"(?<=\w)\?(?=\w)")


def _strip_wildcards(text: str) -> tuple[str, bool]:
    """Remove * anywhere and ? used as a wildcard; a trailing ? is punctuation."""
    had = "*" in text or bool(_WILDCARD_INSIDE.search(text))
    text = text.replace("*", "").replace("?", "")
    return " ".join(text.split()), had


# ---------------------------------------------------------------- lexing

@dataclass
class _Token:
    text: str
    phrase: bool = False
    field: str | None = None
    negated: bool = False
    operator: str | None = None  # "OR" | "AND" | "NOT"


def _title_prefix(text: str, i: int) -> int:
    low = text[i:i + 6].lower()
    for prefix in _TITLE_PREFIXES:
        if low.startswith(prefix) or text[i:i + len(prefix)] == prefix:
            return len(prefix)
    return 0


def _lex(text: str, messages: list[str]) -> list[_Token]:
    tokens: list[_Token] = []
    n = len(text)
    i = 0
    pending_field_note = False
    lone_minus = False
    while i < n:
        while i < n and text[i] == " ":
            i += 1
        if i >= n:
            break
        negated = False
        fieldname = None
        # prefix operators
        if text[i] in _NEGATORS:
            if i + 1 >= n or text[i + 1] == " ":
                lone_minus = True
                i += 1
                continue
            negated = True
            i += 1
        elif text[i] == "+" and i + 1 < n and text[i + 1] != " ":
            i += 1
        skip = _title_prefix(text, i)
        if skip:
            fieldname = "title"
            i += skip
            while i < n and text[i] == " ":
                i += 1
            if i >= n:
                pending_field_note = True
                break
            if text[i] in _NEGATORS and i + 1 < n and text[i + 1] != " ":
                negated = True
                i += 1
        if i >= n:
            break
        if text[i] in _QUOTES:
            closers = _QUOTES[text[i]]
            j = i + 1
            while j < n and text[j] not in closers:
                j += 1
            body = text[i + 1:j]
            if j >= n:
                messages.append(f"Closed an unbalanced quote: searched for “{body.strip()}” as a phrase.")
                i = n
            else:
                i = j + 1
            body = body.strip()
            if body:
                tokens.append(_Token(body, phrase=True, field=fieldname, negated=negated))
            continue
        j = i
        while j < n and text[j] != " " and text[j] not in _QUOTES:
            j += 1
        word = text[i:j]
        i = j
        if not fieldname and not negated:
            if word in _OR_WORDS:
                tokens.append(_Token(word, operator="OR"))
                continue
            if word in _AND_WORDS:
                continue
            if word in _NOT_WORDS:
                tokens.append(_Token(word, operator="NOT"))
                continue
        tokens.append(_Token(word, field=fieldname, negated=negated))
    if lone_minus:
        messages.append("Ignored a lone “-”: put it right before a word to exclude that word (-word).")
    if pending_field_note:
        messages.append("Ignored “title:” with nothing after it: write title:word to search titles only.")
    return tokens


# ---------------------------------------------------------------- parsing

def parse(raw) -> ParsedQuery:
    messages: list[str] = []
    text = clean_text(raw, messages)
    tokens = _lex(text, messages)

    # NOT word == -word
    merged: list[_Token] = []
    dangling_not = False
    for k, tok in enumerate(tokens):
        if tok.operator == "NOT":
            nxt = tokens[k + 1] if k + 1 < len(tokens) else None
            if nxt is None or nxt.operator:
                dangling_not = True
            else:
                nxt.negated = True
            continue
        merged.append(tok)
    if dangling_not:
        messages.append("Ignored a lone “NOT”: write NOT word (or -word) to exclude a word.")

    # Wildcards: taken out, never expanded.
    wildcard = False
    cleaned: list[_Token] = []
    for tok in merged:
        if tok.operator:
            cleaned.append(tok)
            continue
        body, had = _strip_wildcards(tok.text)
        wildcard = wildcard or had
        if body:
            tok.text = body
            cleaned.append(tok)
    if wildcard:
        messages.append("Wildcards (* and ?) are not supported: searched for the words without them.")

    # Bound the number of words.
    words = [t for t in cleaned if not t.operator]
    if len(words) > MAX_WORDS:
        kept, out = 0, []
        for tok in cleaned:
            if not tok.operator:
                kept += 1
                if kept > MAX_WORDS:
                    break
            out.append(tok)
        cleaned = out
        messages.append(f"The query had too many words: only the first {MAX_WORDS} were searched.")

    parsed = ParsedQuery(text=text, messages=messages)
    lone_or = False
    join_next = False
    last_group: list[Clause] | None = None
    for k, tok in enumerate(cleaned):
        if tok.operator == "OR":
            prev_ok = last_group is not None and not join_next
            nxt = cleaned[k + 1] if k + 1 < len(cleaned) else None
            next_ok = nxt is not None and not nxt.operator and not nxt.negated
            if prev_ok and next_ok:
                join_next = True
            else:
                lone_or = True
            continue
        clause = Clause(text=tok.text, phrase=tok.phrase, field=tok.field, negated=tok.negated)
        if clause.negated:
            parsed.excluded.append(clause)
            join_next = False
            continue
        if join_next and last_group is not None:
            last_group.append(clause)
        else:
            last_group = [clause]
            parsed.groups.append(last_group)
        join_next = False
    if lone_or:
        messages.append("Ignored an “OR” without a word on both sides: write a OR b.")
    # de-duplicate clauses and groups (same words typed twice count once)
    seen, groups = set(), []
    for group in parsed.groups:
        uniq = list(dict.fromkeys(group))
        key = frozenset(uniq)
        if key not in seen:
            seen.add(key)
            groups.append(uniq)
    parsed.groups = groups
    parsed.excluded = list(dict.fromkeys(parsed.excluded))
    return parsed


__all__ = ["Clause", "ParsedQuery", "parse", "clean_text", "MAX_QUERY_CHARS", "MAX_WORDS"]
