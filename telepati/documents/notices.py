"""What the applicant reads on WhatsApp at each step of a document application.

Every function returns a finished Indonesian text (gettext, in the deployment's language via
`resident_language()`), so the services never build sentences themselves. Texts are sent
inside WhatsApp's 24-hour window; outside it the approved templates `dokumen_status`
([code, status label]) and `dokumen_terbit` ([name, document, code]) go out instead — see
`template_status_params` and `template_issued_params`. Hand-over texts (pick-up, delivery)
live in `notices_handover.py`.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from telepati.core.formatting import moment_format, resident_language
from telepati.documents.lifecycle import Status
from telepati.documents.models import Application

TEMPLATE_STATUS = "dokumen_status"
TEMPLATE_ISSUED = "dokumen_terbit"

BUTTON_PICKUP = "doc:pickup:{code}"
BUTTON_DELIVERY = "doc:delivery:{code}"


def _document(application: Application) -> str:
    return application.document_type.name


def _office(application: Application) -> str:
    return application.handling_unit.name


def template_status_params(application: Application) -> list[str]:
    """Parameters of the `dokumen_status` template: [code, status label]."""
    with resident_language():
        return [application.code, str(Status(application.status).label)]


def template_issued_params(application: Application) -> list[str]:
    """Parameters of the `dokumen_terbit` template: [name, document, code]."""
    return [application.applicant_name, _document(application), application.code]


def requirements_text(application: Application) -> str:
    """The document type's requirements as a bulleted list (one line each)."""
    items = [str(item).strip() for item in application.document_type.requirements]
    return "\n".join(f"• {item}" for item in items if item)


def received_text(application: Application) -> str:
    """Berkas diterima at the counter (or a pre-registration accepted)."""
    with resident_language():
        return _(
            "Berkas permohonan %(document)s atas nama %(name)s sudah kami terima dengan kode "
            "%(code)s. Target selesai: %(due)s. Kami kabari lewat WhatsApp bila ada yang "
            "perlu dilengkapi dan saat dokumen terbit. Simpan kode ini untuk menanyakan "
            "perkembangannya."
        ) % {
            "document": _document(application),
            "name": application.applicant_name,
            "code": application.code,
            "due": moment_format(application.due_at),
        }


def preregistered_text(application: Application) -> str:
    """Pra-pendaftaran from the web or WhatsApp: the code and what to bring to the office."""
    document_type = application.document_type
    with resident_language():
        text = _(
            "Pra-pendaftaran %(document)s atas nama %(name)s tercatat dengan kode %(code)s. "
            "Bawa berkas asli berikut ke loket %(office)s dan sebutkan kode ini:"
        ) % {
            "document": document_type.name,
            "name": application.applicant_name,
            "code": application.code,
            "office": _office(application),
        }
        requirements = requirements_text(application)
        if requirements:
            text += "\n" + requirements
        if document_type.fee_note:
            text += "\n" + _("Biaya: %(fee)s.") % {"fee": document_type.fee_note}
        return text


def needs_fix_text(application: Application) -> str:
    """Perlu perbaikan: exactly what to fix, and where."""
    with resident_language():
        return _(
            "Permohonan %(document)s (kode %(code)s) perlu dilengkapi: %(fix)s\n"
            "Silakan bawa perbaikannya ke loket %(office)s. Setelah itu berkas Anda kami "
            "proses lagi."
        ) % {
            "document": _document(application),
            "code": application.code,
            "fix": application.fix_note,
            "office": _office(application),
        }


def submitted_text(application: Application) -> str:
    """Diajukan ke Disdukcapil (short)."""
    with resident_language():
        return _(
            "Permohonan %(document)s (kode %(code)s) sudah kami ajukan ke Disdukcapil Kota "
            "Medan. Kami kabari begitu dokumen terbit."
        ) % {"document": _document(application), "code": application.code}


def issued_text(application: Application) -> str:
    """Terbit: the document exists; the resident chooses pick-up or delivery."""
    values = {
        "name": application.applicant_name,
        "document": _document(application),
        "code": application.code,
        "office": _office(application),
    }
    with resident_language():
        if application.document_type.delivery_available:
            return (
                _(
                    "Kabar baik, %(name)s! %(document)s Anda (kode %(code)s) sudah terbit. "
                    "Pilih cara menerimanya: ambil sendiri di %(office)s, atau kami antar ke "
                    "rumah tanpa biaya."
                )
                % values
            )
        return (
            _(
                "Kabar baik, %(name)s! %(document)s Anda (kode %(code)s) sudah terbit dan dapat "
                "diambil di %(office)s pada jam kerja. Tekan “Ambil di kantor” untuk melihat "
                "apa saja yang perlu dibawa."
            )
            % values
        )


def issued_buttons(application: Application) -> dict[str, object]:
    """Quick replies under the issued notice (and under reminders while no choice is made)."""
    with resident_language():
        buttons = [[BUTTON_PICKUP.format(code=application.code), _("Ambil di kantor")]]
        if application.document_type.delivery_available:
            buttons.append([BUTTON_DELIVERY.format(code=application.code), _("Antar ke rumah")])
    return {"type": "buttons", "buttons": buttons}


def rejected_text(application: Application) -> str:
    """Ditolak, with the reason."""
    with resident_language():
        return _(
            "Mohon maaf, permohonan %(document)s (kode %(code)s) tidak dapat dilanjutkan. "
            "Alasan: %(reason)s\nBila ada pertanyaan, silakan datang ke loket %(office)s "
            "atau balas pesan ini."
        ) % {
            "document": _document(application),
            "code": application.code,
            "reason": application.rejection_reason,
            "office": _office(application),
        }


def cancelled_text(application: Application) -> str:
    """Dibatalkan (by the resident or the office), with the reason."""
    with resident_language():
        return _(
            "Permohonan %(document)s (kode %(code)s) sudah dibatalkan. Alasan: %(reason)s\n"
            "Anda dapat mengajukan permohonan baru kapan saja."
        ) % {
            "document": _document(application),
            "code": application.code,
            "reason": application.cancel_reason,
        }


def reminder_text(application: Application) -> str:
    """A reminder that an issued document still waits for its owner."""
    values = {
        "document": _document(application),
        "code": application.code,
        "since": moment_format(application.issued_at),
        "office": _office(application),
    }
    with resident_language():
        if application.status == Status.READY_FOR_PICKUP:
            return (
                _(
                    "Pengingat: %(document)s Anda (kode %(code)s) sudah siap diambil di "
                    "%(office)s sejak %(since)s. Datanglah pada jam kerja dengan membawa KTP-el "
                    "atau Kartu Keluarga asli dan kode ini."
                )
                % values
            )
        if application.document_type.delivery_available:
            return (
                _(
                    "Pengingat: %(document)s Anda (kode %(code)s) sudah terbit sejak %(since)s "
                    "dan belum diterima. Pilih: ambil di %(office)s atau kami antar ke rumah."
                )
                % values
            )
        return (
            _(
                "Pengingat: %(document)s Anda (kode %(code)s) sudah terbit sejak %(since)s dan "
                "menunggu diambil di %(office)s pada jam kerja."
            )
            % values
        )
