from __future__ import annotations

def to_word(staging, overrides, *, thai_digits):
    raise NotImplementedError
