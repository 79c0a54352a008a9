"""One turn of the bot: the message being answered, the conversation's state, the replies.

A `Turn` collects state changes in memory and writes replies as outbox rows (keyed
`bot:<wamid>:<n>`, so the same message never answers twice); `turn_save` stores the state
with its expiry at the end of the turn. Interactive payloads follow the shared contract
(`{"type": "buttons" | "list", …}`) and are cut to WhatsApp's limits here, in one place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from telepati.citizens.models import Citizen
from telepati.messaging.services import Recipient, message_enqueue
from telepati.whatsapp.bot.states import STATE_TIMEOUT, State, shorten
from telepati.whatsapp.models import Conversation, InboundMessage

BUTTONS_MAX = 3
BUTTON_TITLE_MAX = 20
LIST_BUTTON_MAX = 20
ROW_ID_MAX = 200
ROW_TITLE_MAX = 24
ROW_DESCRIPTION_MAX = 72
SECTION_TITLE_MAX = 24


def buttons_payload(buttons: list[tuple[str, str]]) -> dict[str, Any]:
    return {
        "type": "buttons",
        "buttons": [
            [bid, shorten(title, BUTTON_TITLE_MAX)] for bid, title in buttons[:BUTTONS_MAX]
        ],
        "header": "",
        "footer": "",
    }


def list_payload(
    *, button: str, rows: list[tuple[str, str, str]], section: str = ""
) -> dict[str, Any]:
    cut = [
        [rid[:ROW_ID_MAX], shorten(title, ROW_TITLE_MAX), shorten(text, ROW_DESCRIPTION_MAX)]
        for rid, title, text in rows[:10]
    ]
    return {
        "type": "list",
        "button": shorten(button, LIST_BUTTON_MAX),
        "sections": [[shorten(section, SECTION_TITLE_MAX), cut]],
        "header": "",
        "footer": "",
    }


@dataclass
class Turn:
    """The bot answering one inbound message."""

    message: InboundMessage
    conversation: Conversation
    moment: datetime
    state: State = State.IDLE
    data: dict[str, Any] = field(default_factory=dict)
    replies: int = 0
    understood: bool = True

    @property
    def citizen(self) -> Citizen:
        return self.conversation.citizen

    @property
    def draft(self) -> dict[str, Any]:
        draft: dict[str, Any] = self.data.setdefault("draft", {})
        return draft

    def go(self, state: State, *, data: dict[str, Any] | None = None) -> None:
        """Move to `state`; `data` replaces what the bot remembers (None keeps it)."""
        self.state = state
        if data is not None:
            self.data = data

    def reply(
        self,
        text: str,
        *,
        interactive: dict[str, Any] | None = None,
        reference: str = "",
        application: str = "",
    ) -> None:
        """Queue one reply; `reference` names a report, `application` a document application."""
        self.replies += 1
        conversation = self.conversation
        citizen = conversation.citizen
        phone = citizen.phone or (f"+{conversation.wa_id}" if conversation.wa_id else "")
        recipient = Recipient(phone=phone, wa_bsuid=conversation.bsuid or citizen.wa_bsuid or "")
        message_enqueue(
            recipient=recipient,
            text=text,
            dedupe_key=f"bot:{self.message.wamid}:{self.replies}",
            reference=(
                f"report:{reference}"
                if reference
                else f"application:{application}"
                if application
                else f"wa:{conversation.pk}"
            ),
            interactive=interactive,
        )

    def buttons(self, text: str, buttons: list[tuple[str, str]], *, application: str = "") -> None:
        self.reply(text, interactive=buttons_payload(buttons), application=application)

    def choices(
        self, text: str, *, button: str, rows: list[tuple[str, str, str]], section: str = ""
    ) -> None:
        self.reply(text, interactive=list_payload(button=button, rows=rows, section=section))


def turn_start(*, message: InboundMessage, conversation: Conversation, moment: datetime) -> Turn:
    try:
        state = State(conversation.bot_state)
    except ValueError:
        state = State.IDLE
    data = conversation.bot_data if isinstance(conversation.bot_data, dict) else {}
    return Turn(
        message=message, conversation=conversation, moment=moment, state=state, data=dict(data)
    )


def turn_expired(turn: Turn) -> bool:
    """Whether the state the conversation was left in has timed out."""
    expires = turn.conversation.bot_state_expires_at
    return turn.state != State.IDLE and (expires is None or expires <= turn.moment)


def turn_save(turn: Turn) -> None:
    conversation = turn.conversation
    if turn.understood:
        turn.data.pop("misunderstood", None)
    conversation.bot_state = turn.state.value
    conversation.bot_data = turn.data
    conversation.bot_state_expires_at = (
        turn.moment + STATE_TIMEOUT if turn.state != State.IDLE else None
    )
    fields = ["bot_state", "bot_data", "bot_state_expires_at", "handed_over_at", "updated_at"]
    Conversation.save(conversation, update_fields=fields)
