"""Key bindings in the UI's language, and the list F1 shows.

Bindings are declared with a string key from `strings.py` as their description; each
node translates its own copy when created, so the footer speaks the UI language.
"""

from __future__ import annotations

import dataclasses

from textual.binding import Binding, BindingsMap, BindingType
from textual.dom import DOMNode

from assistant.tui.strings import Strings


def translate_bindings(node: DOMNode, strings: Strings) -> None:
    # The node's bindings as first seen (descriptions still string keys, plus any Textual
    # added, such as the command palette's) are kept aside, so a later change of
    # language translates from the keys again. Only this node's own copy is replaced.
    original: BindingsMap | None = getattr(node, "_untranslated_bindings", None)
    if original is None:
        original = node._bindings.copy()
        node._untranslated_bindings = original  # type: ignore[attr-defined]
    fresh = original.copy()
    for key, bindings in fresh.key_to_bindings.items():
        fresh.key_to_bindings[key] = [
            dataclasses.replace(b, description=strings[b.description]) if b.description else b
            for b in bindings
        ]
    node._bindings = fresh


def help_rows(where: str, bindings: list[BindingType], strings: Strings,
              ) -> list[tuple[str, str, str]]:
    """(keys, what they do, where) for every described binding of one class."""
    rows: list[tuple[str, str, str]] = []
    for binding in Binding.make_bindings(bindings):
        if not binding.description:
            continue
        keys = binding.key_display or _KEY_NAMES.get(binding.key, binding.key)
        rows.append((keys, strings[binding.description], strings[where]))
    merged: dict[tuple[str, str], list[str]] = {}
    for keys, does, place in rows:
        seen = merged.setdefault((does, place), [])
        if keys not in seen:
            seen.append(keys)
    return [(", ".join(keys), does, place) for (does, place), keys in merged.items()]


_KEY_NAMES = {"up": "↑", "down": "↓", "slash": "/", "escape": "Esc", "enter": "Enter",
              "shift+enter": "Shift+Enter", "ctrl+j": "Ctrl+J", "delete": "Del",
              "space": "Space"}


def translate_tree(node: DOMNode, strings: Strings) -> None:
    """A screen and every widget in it (called once the screen is composed)."""
    translate_bindings(node, strings)
    for child in node.walk_children():
        translate_bindings(child, strings)
