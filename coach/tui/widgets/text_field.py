"""A one-line text field (the home search, the note after a session): an Input whose
editing keys act in the order they were typed.

Why (issue 15, measured): Textual's Input inserts a printable key in its own key handler,
at once, but its editing keys (Backspace, Delete, the arrows, Ctrl+W …) are bindings, which
Textual runs only after the key event has bubbled up through every container to the app.
In a burst of typing (a fast typist, a paste of keys, tmux `send-keys`) the letters that
follow a Backspace overtake it: "zzzz", four Backspaces, "sleep" became "zzzzs" (the
deletions then fall on the new letters). The deeper the box sits, the more hops, the worse;
a minimal app with the Input at the top level rarely shows it. Here every editing key of
Input's own bindings runs in the same handler as the letters, so the order is kept.
"""

from __future__ import annotations

from textual import events
from textual.binding import Binding
from textual.widgets import Input


def _editing_keys() -> dict[str, str]:
    """Key → action of Input's own bindings (Textual's, whatever its version binds)."""
    found: dict[str, str] = {}
    for binding in Input.BINDINGS:
        if isinstance(binding, Binding):
            for key in binding.key.split(","):
                found.setdefault(key.strip(), binding.action)
    return found


EDITING_KEYS = _editing_keys()


class TextField(Input):
    """An Input for text typed fast: editing keys act in order with the letters."""

    async def _on_key(self, event: events.Key) -> None:
        action = EDITING_KEYS.get(event.key)
        if action is None:
            await super()._on_key(event)
            return
        # Handled here, now: stopped, so the binding does not run it a second time.
        event.stop()
        event.prevent_default()
        await self.run_action(action)
