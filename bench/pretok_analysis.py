"""A Whoosh tokenizer for text analyzed beforehand (bench/pretok.py): the value is the serialized token
stream, ``TEXT \\x1e POS`` items joined by ``\\x1f``, so indexing repeats our analyzer's exact terms and
positions without running it. Its own module so Whoosh's writer processes can unpickle it."""
from whoosh.analysis import Token, Tokenizer
from whoosh.analysis.analyzers import CompositeAnalyzer

ITEM = "\x1f"
POS = "\x1e"


def serialize(analyzer, value: str) -> str:
    """Our analyzer's index-time tokens for `value` (stopped tokens dropped, as Whoosh does)."""
    out = []
    for t in analyzer(value, positions=True, boosts=True, mode="index"):
        if not t.stopped:
            out.append(f"{t.text}{POS}{t.pos}")
    return ITEM.join(out)


class PreTokenizer(Tokenizer):
    def __eq__(self, other):
        return other is not None and self.__class__ is other.__class__

    def __hash__(self):
        return hash(self.__class__.__name__)

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not value:
            return
        t.boost = 1.0
        t.stopped = False
        for item in value.split(ITEM):
            text, _, pos = item.rpartition(POS)
            t.text = text
            if positions:
                t.pos = start_pos + int(pos)
            yield t


def pre_analyzer():
    return CompositeAnalyzer(PreTokenizer())
