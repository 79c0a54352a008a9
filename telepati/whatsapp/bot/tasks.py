"""Background work of the bot: photos of a new report, fetched after the commit."""

from __future__ import annotations

from django_tasks import task

from telepati.whatsapp.bot.media import report_photos_attach


@task()
def bot_photos_attach(*, report_id: int, message_ids: list[int]) -> int:
    """Download, clean and attach the photos a resident sent while filing a report."""
    return report_photos_attach(report_id=report_id, message_ids=message_ids)
