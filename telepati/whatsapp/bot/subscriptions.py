"""Announcement subscriptions on WhatsApp: "langganan", "langganan semua", "berhenti",
"berhenti <topik>" — and "stop", which Meta asks businesses to honour like "berhenti".

"langganan" lists the topics (or all), then the kelurahan (or all of them); the choice
is stored through `subscription_opt_in` (source WhatsApp: the resident's number is proven
by the message itself). "berhenti"/"stop" asks to confirm and then stops every topic;
"berhenti banjir" stops one topic at once. Both work in any state: an unfinished flow is
dropped first. Taps carry ids "sub:t:<code>|*", "sub:k:<kelurahan id>|*",
"sub:stop:yes|no".
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from telepati.announcements.models import Source, Topic
from telepati.announcements.selectors import (
    default_kecamatan,
    kelurahan_list,
    subscription_list_for_citizen,
    topic_list_active,
)
from telepati.announcements.services.subscriptions import (
    subscription_opt_in,
    subscription_opt_out,
)
from telepati.core.errors import DomainError
from telepati.whatsapp.bot import subscriptions_texts as texts
from telepati.whatsapp.bot.states import LIST_MAX_ROWS, State, normalize
from telepati.whatsapp.bot.texts import cancelled
from telepati.whatsapp.bot.turn import Turn

SUBSCRIBE_WORDS = frozenset({"langganan", "berlangganan", "subscribe", "daftar pengumuman"})
SUBSCRIBE_ALL_WORDS = frozenset({"langganan semua", "berlangganan semua"})
STOP_WORDS = frozenset(
    {"berhenti", "stop", "berhenti semua", "stop semua", "berhenti langganan", "unsubscribe"}
)
STOP_PREFIXES = ("berhenti ", "stop ")
YES_WORDS = frozenset({"ya", "iya", "y", "ok", "oke", "ya berhenti", "yes"})
NO_WORDS = frozenset({"tidak", "tdk", "no", "jangan", "batal"})
ALL_WORDS = frozenset({"semua", "semua topik", "semua kelurahan", "*"})


def subscriptions_command(turn: Turn) -> bool:
    """Handle a subscription command or tap; False when the message is not one."""
    message = turn.message
    if message.reply_id.startswith("sub:"):
        return _tap(turn, message.reply_id)
    if message.kind != "text":
        return False
    words = normalize(message.text)
    if words in SUBSCRIBE_WORDS:
        topic_prompt(turn)
    elif words in SUBSCRIBE_ALL_WORDS:
        _opt_in(turn, codes=None, kelurahan_id=None)
    elif words in STOP_WORDS:
        _stop_ask(turn)
    elif words.startswith(STOP_PREFIXES):
        _stop_topic(turn, words.split(" ", 1)[1])
    else:
        return False
    return True


def subscriptions_answer(turn: Turn) -> bool:
    """A typed answer in a subscription state; False when it is not understood."""
    message = turn.message
    if message.kind != "text":
        return False
    words = normalize(message.text)
    if turn.state == State.SUB_STOP_CONFIRM:
        if words in YES_WORDS:
            return _tap(turn, "sub:stop:yes")
        if words in NO_WORDS:
            return _tap(turn, "sub:stop:no")
        return False
    if turn.state == State.SUB_TOPIC:
        if words in ALL_WORDS:
            return _tap(turn, "sub:t:*")
        topic = _topic_match(words)
        return _tap(turn, f"sub:t:{topic.code}") if topic else False
    if turn.state == State.SUB_KELURAHAN:
        if words in ALL_WORDS:
            return _tap(turn, "sub:k:*")
        kecamatan = default_kecamatan()
        for kelurahan in kelurahan_list(kecamatan_id=kecamatan.pk):
            if words in (normalize(kelurahan.name), normalize(f"kelurahan {kelurahan.name}")):
                return _tap(turn, f"sub:k:{kelurahan.pk}")
    return False


def subscriptions_prompt(turn: Turn) -> None:
    """Ask again what the current subscription state waits for."""
    if turn.state == State.SUB_TOPIC:
        topic_prompt(turn)
    elif turn.state == State.SUB_KELURAHAN:
        _kelurahan_prompt(turn)
    elif turn.state == State.SUB_STOP_CONFIRM:
        _stop_ask(turn)


def topic_prompt(turn: Turn) -> None:
    topics = topic_list_active()
    if not topics:
        turn.go(State.IDLE, data={})
        turn.reply(texts.no_topics())
        return
    turn.go(State.SUB_TOPIC, data={})
    current = _names([s.topic.name for s in subscription_list_for_citizen(citizen=turn.citizen)])
    title, description = texts.topic_all_row()
    rows = [(f"sub:t:{t.code}", t.name, t.description) for t in topics[: LIST_MAX_ROWS - 1]]
    rows.append(("sub:t:*", title, description))
    turn.choices(texts.topic_prompt(current), button=texts.topic_button(), rows=rows)


def _kelurahan_prompt(turn: Turn) -> None:
    turn.go(State.SUB_KELURAHAN)
    kecamatan = default_kecamatan()
    title, description = texts.kelurahan_all_row()
    rows = [("sub:k:*", title, description)]
    rows += [
        (f"sub:k:{k.pk}", k.name, "")
        for k in kelurahan_list(kecamatan_id=kecamatan.pk)[: LIST_MAX_ROWS - 1]
    ]
    turn.choices(texts.kelurahan_prompt(), button=texts.kelurahan_button(), rows=rows)


def _tap(turn: Turn, reply_id: str) -> bool:
    parts = reply_id.split(":")
    kind, value = (parts[1], parts[2]) if len(parts) == 3 else ("", "")
    if kind == "t":
        turn.go(State.SUB_TOPIC, data={"sub_topics": None if value == "*" else [value]})
        _kelurahan_prompt(turn)
    elif kind == "k":
        if "sub_topics" not in turn.data:  # an old list tapped again: start over
            topic_prompt(turn)
            return True
        codes = turn.data.get("sub_topics")
        kelurahan_id = None if value == "*" else _int(value)
        _opt_in(turn, codes=codes, kelurahan_id=kelurahan_id)
    elif kind == "stop" and value == "yes":
        turn.go(State.IDLE, data={})
        stopped = subscription_opt_out(citizen=turn.citizen)
        turn.reply(texts.stopped_all() if stopped else texts.not_subscribed())
    elif kind == "stop":
        turn.go(State.IDLE, data={})
        turn.reply(texts.kept())
    else:
        return False
    return True


def _opt_in(turn: Turn, *, codes: list[str] | None, kelurahan_id: int | None) -> None:
    turn.go(State.IDLE, data={})
    kecamatan = default_kecamatan()
    kelurahan = None
    if kelurahan_id is not None:
        kelurahan = next(
            (k for k in kelurahan_list(kecamatan_id=kecamatan.pk) if k.pk == kelurahan_id), None
        )
        if kelurahan is None:
            turn.reply(texts.failed(_("kelurahan tidak dikenal.")))
            return
    try:
        rows = subscription_opt_in(
            citizen=turn.citizen,
            kecamatan=kecamatan,
            topic_codes=codes,
            kelurahan=kelurahan,
            source=Source.WHATSAPP,
        )
    except DomainError as error:
        turn.reply(texts.failed(str(error)))
        return
    place = kelurahan.name if kelurahan else texts.all_kelurahan()
    turn.reply(texts.subscribed(topics=_names([r.topic.name for r in rows]), place=place))


def _stop_ask(turn: Turn) -> None:
    was_busy = turn.state not in (State.IDLE, State.SUB_STOP_CONFIRM)
    subscriptions = subscription_list_for_citizen(citizen=turn.citizen)
    turn.go(State.IDLE, data={})
    if not subscriptions:
        turn.reply(cancelled() if was_busy else texts.not_subscribed())
        return
    turn.go(State.SUB_STOP_CONFIRM)
    turn.buttons(
        texts.stop_confirm(_names([s.topic.name for s in subscriptions])),
        [("sub:stop:yes", texts.stop_yes_button()), ("sub:stop:no", texts.stop_no_button())],
    )


def _stop_topic(turn: Turn, words: str) -> None:
    if words in ALL_WORDS or words in ("langganan", "pengumuman"):
        _stop_ask(turn)
        return
    turn.go(State.IDLE, data={})
    topic = _topic_match(words)
    if topic is None:
        turn.reply(texts.topic_unknown(_names([t.name for t in topic_list_active()])))
        return
    if subscription_opt_out(citizen=turn.citizen, topic_codes=[topic.code]):
        turn.reply(texts.stopped_topic(topic.name))
    else:
        turn.reply(texts.not_subscribed_topic(topic.name))


def _topic_match(words: str) -> Topic | None:
    """The one active topic whose name or code the words point at ("banjir", "umkm")."""
    typed = [w for w in words.replace("-", " ").split() if len(w) >= 3]
    if not typed:
        return None
    found = []
    for topic in topic_list_active():
        own = set(normalize(f"{topic.name} {topic.code}").replace("-", " ").split())
        if normalize(topic.name) == words or all(
            any(word.startswith(t) for word in own) for t in typed
        ):
            found.append(topic)
    return found[0] if len(found) == 1 else None


def _names(names: list[str]) -> str:
    unique = list(dict.fromkeys(names))
    return ", ".join(unique)


def _int(value: str) -> int | None:
    try:
        return int(value)
    except ValueError:
        return None
