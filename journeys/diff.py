"""A small word-level differ for comparing two submitted versions of a statement.

Reviewers see what a school changed since the version they returned: inserted words in
<ins>, deleted words in <del>, each with visually hidden text ("added", "removed") so that a
screen reader says what colour alone would not.
"""

import difflib
import re

from django.utils.html import escape
from django.utils.safestring import mark_safe

# Words and the whitespace between them, so that the output keeps the text's spacing.
_TOKENS = re.compile(r"\S+|\s+")

EQUAL, INSERT, DELETE = "equal", "insert", "delete"


def tokens(text):
    return _TOKENS.findall(text or "")


def diff_words(old, new):
    """[(op, text), ...] turning `old` into `new`, op one of "equal", "insert", "delete".

    A space alone between two changes joins them, so "twice a year" -> "every term" reads
    as one deletion and one insertion rather than a patchwork of words.
    """
    old_tokens, new_tokens = tokens(old), tokens(new)
    matcher = difflib.SequenceMatcher(a=old_tokens, b=new_tokens, autojunk=False)
    opcodes = matcher.get_opcodes()
    chunks, deleted, inserted = [], [], []

    def flush():
        if deleted:
            chunks.append((DELETE, "".join(deleted)))
        if inserted:
            chunks.append((INSERT, "".join(inserted)))
        deleted.clear()
        inserted.clear()

    for index, (op, a1, a2, b1, b2) in enumerate(opcodes):
        if op == "equal":
            text = "".join(new_tokens[b1:b2])
            between_changes = (deleted or inserted) and index + 1 < len(opcodes)
            if between_changes and not text.strip():
                deleted.append(text)
                inserted.append(text)
                continue
            flush()
            chunks.append((EQUAL, text))
            continue
        deleted.extend(old_tokens[a1:a2])
        inserted.extend(new_tokens[b1:b2])
    flush()
    return chunks


def has_changed(old, new):
    return (old or "").split() != (new or "").split()


def _html(text):
    return escape(text).replace("\n", "<br>")


def render_chunks(chunks):
    parts = []
    for op, text in chunks:
        if op == INSERT and text.strip():
            parts.append(
                f'<ins><span class="visually-hidden">[added: </span>{_html(text)}'
                '<span class="visually-hidden">]</span></ins>'
            )
        elif op == DELETE and text.strip():
            parts.append(
                f'<del><span class="visually-hidden">[removed: </span>{_html(text)}'
                '<span class="visually-hidden">]</span></del>'
            )
        elif op == DELETE:
            continue  # a change of spacing only: show the new spacing
        else:
            parts.append(_html(text))
    return mark_safe("".join(parts))  # noqa: S308 (every piece of text is escaped above)


def render_diff(old, new):
    """HTML (safe) showing the word-level changes from `old` to `new`."""
    return render_chunks(diff_words(old, new))
