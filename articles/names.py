"""How names are compared: any script, any case, any width."""
import unicodedata
from functools import lru_cache

import opencc


@lru_cache(maxsize=1)
def _t2s():
    return opencc.OpenCC("t2s")


@lru_cache(maxsize=65536)
def fold_name(name: str) -> str:
    """A key under which 浦東, 浦东 and ＰＵＤＯＮＧ / pudong compare equal."""
    text = unicodedata.normalize("NFKC", name or "").strip()
    text = _t2s().convert(text)
    return " ".join(text.casefold().replace("-", " ").split())
