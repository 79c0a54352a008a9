"""The UMKM registry in the back-office: the list, the business page and its actions, and
the register/edit form.

For officers who manage programs (administrator, operator, staff); leaders, liaisons and
couriers get the 403 page. Rows outside the officer's area are 404 (`selectors_officer`).
Every action is a POST to one service; success: a message and a redirect back (PRG). A
refused form re-renders the page with what was typed (photos must be picked again — the
page says so) and the Indonesian errors next to the fields: 400, or 409 when another
officer changed the business first.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from telepati.accounts.capabilities import Capability
from telepati.accounts.models import User
from telepati.backoffice.access import officer_view
from telepati.backoffice.programs.common import (
    PAGE_SIZE,
    kelurahan_choices,
    officer,
    refused,
    version_of,
)
from telepati.backoffice.programs.forms import (
    BusinessFilterForm,
    BusinessForm,
    GuidanceForm,
    ProductForm,
    ProductPhotoForm,
    PublishForm,
    business_initial,
    new_business_initial,
    phone_national,
    photo_upload,
)
from telepati.core.errors import DomainError, Forbidden, NotFound
from telepati.programs.models import Business, GuidanceStatus
from telepati.programs.selectors_officer import (
    BusinessFilters,
    ProgramsArea,
    business_get_for_officer,
    business_list_for_officer,
    kelurahan_list_for_programs,
    retailer_list_for_programs,
)
from telepati.programs.services.umkm import (
    business_guidance_set,
    business_publish_set,
    business_register,
    business_update,
    product_add,
    product_photo_set,
)

MANAGE = Capability.MANAGE_PROGRAMS


def _detail_url(business_id: int) -> str:
    return reverse("backoffice:program_business", kwargs={"business_id": business_id})


@require_GET
@officer_view(MANAGE)
def business_list(request: HttpRequest) -> HttpResponse:
    user, scope, area = officer(request)
    kelurahan = kelurahan_choices(kelurahan_list_for_programs(area=area))
    form = BusinessFilterForm(request.GET, kelurahan=kelurahan)
    filters = BusinessFilters(
        kelurahan_id=form.value("kelurahan"),
        sector=form.value("sector") or "",
        guidance_status=form.value("status") or "",
        query=form.value("q") or "",
    )
    rows = business_list_for_officer(user=user, filters=filters, scope=scope)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("halaman"))
    query = request.GET.copy()
    query.pop("halaman", None)
    context = {"form": form, "page": page, "query": query.urlencode(), "area": area}
    return render(request, "backoffice/programs/business_list.html", context)


# --- Register and edit --------------------------------------------------------------------


def _business_form(area: ProgramsArea, data: Any = None, **kwargs: Any) -> BusinessForm:
    kelurahan = kelurahan_choices(kelurahan_list_for_programs(area=area))
    retailers = [(r.pk, r.name) for r in retailer_list_for_programs(area=area)]
    return BusinessForm(data, kelurahan=kelurahan, retailers=retailers, **kwargs)


def _business_save(
    request: HttpRequest, *, business: Business | None, template: str
) -> HttpResponse:
    user, _scope, area = officer(request)
    context: dict[str, Any] = {"business": business}
    if request.method != "POST":
        initial = business_initial(business) if business else new_business_initial()
        context["form"] = _business_form(area, initial=initial)
        return render(request, template, context)
    form = _business_form(area, request.POST)
    error: DomainError | None = None
    if form.is_valid():
        try:
            if business is None:
                saved = business_register(actor=user, draft=form.draft())
                text = _("UMKM “%(name)s” terdaftar.")
            else:
                saved = business_update(
                    actor=user,
                    business_id=business.pk,
                    draft=form.draft(),
                    expected_version=version_of(form),
                )
                text = _("Data UMKM “%(name)s” disimpan.")
        except (NotFound, Forbidden):
            raise
        except DomainError as exc:
            error = exc
        else:
            messages.success(request, text % {"name": saved.name})
            return HttpResponseRedirect(_detail_url(saved.pk))
    status = refused(request, form, error, _("Data UMKM"))
    context["form"] = form
    return render(request, template, context, status=status)


@require_http_methods(["GET", "POST"])
@officer_view(MANAGE)
def business_register_view(request: HttpRequest) -> HttpResponse:
    return _business_save(request, business=None, template="backoffice/programs/business_form.html")


@require_http_methods(["GET", "POST"])
@officer_view(MANAGE)
def business_edit(request: HttpRequest, business_id: int) -> HttpResponse:
    user, scope, _area = officer(request)
    business = business_get_for_officer(user=user, business_id=business_id, scope=scope)
    return _business_save(
        request, business=business, template="backoffice/programs/business_form.html"
    )


# --- The business page ----------------------------------------------------------------------


def _page(
    request: HttpRequest,
    business: Business,
    *,
    bound: tuple[str, forms.Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    forms_by_key: dict[str, forms.Form] = {
        "guidance": GuidanceForm(
            initial={
                "expected_version": business.version,
                "guidance_status": business.guidance_status,
            },
            auto_id="guidance-%s",
        ),
        "product": ProductForm(auto_id="product-%s"),
    }
    if bound is not None:
        forms_by_key[bound[0]] = bound[1]
    products = [
        {
            "product": p,
            "form": forms_by_key.get(f"photo-{p.pk}")
            or ProductPhotoForm(auto_id=f"photo-{p.pk}-%s"),
        }
        for p in business.products_all  # type: ignore[attr-defined]
    ]
    context = {
        "business": business,
        "owner_phone": phone_national(business.owner_phone),
        "public_contact": phone_national(business.public_contact),
        "guidance_form": forms_by_key["guidance"],
        "product_form": forms_by_key["product"],
        "products": products,
        "inactive": business.guidance_status == GuidanceStatus.INACTIVE,
    }
    return render(request, "backoffice/programs/business_detail.html", context, status=status)


@require_GET
@officer_view(MANAGE)
def business_detail(request: HttpRequest, business_id: int) -> HttpResponse:
    user, scope, _area = officer(request)
    return _page(request, business_get_for_officer(user=user, business_id=business_id, scope=scope))


def _act(
    request: HttpRequest, business_id: int, key: str, form: forms.Form, what: str
) -> HttpResponse:
    """Run the action `key` with the bound `form`; PRG on success, the page on refusal."""
    user, scope, _area = officer(request)
    business = business_get_for_officer(user=user, business_id=business_id, scope=scope)
    error: DomainError | None = None
    if form.is_valid():
        try:
            text = _run(user, business, key, form.cleaned_data)
        except (NotFound, Forbidden):
            raise
        except DomainError as exc:
            error = exc
        else:
            messages.success(request, text)
            return HttpResponseRedirect(_detail_url(business.pk))
    status = refused(request, form, error, what)
    business = business_get_for_officer(user=user, business_id=business_id, scope=scope)
    return _page(request, business, bound=(key, form), status=status)


def _run(user: User, business: Business, key: str, data: dict[str, Any]) -> str:
    version = data.get("expected_version")
    if key == "guidance":
        saved = business_guidance_set(
            actor=user,
            business_id=business.pk,
            status=data["guidance_status"],
            expected_version=version,
        )
        return _("Status binaan “%(name)s” kini %(status)s.") % {
            "name": saved.name,
            "status": saved.get_guidance_status_display(),
        }
    if key == "publish":
        saved = business_publish_set(
            actor=user,
            business_id=business.pk,
            is_public=data["is_public"],
            expected_version=version,
        )
        if not saved.is_public:
            return _("“%(name)s” disembunyikan dari katalog publik.") % {"name": saved.name}
        if saved.guidance_status == GuidanceStatus.INACTIVE:
            return _(
                "“%(name)s” ditandai tampil, tetapi katalog publik baru menampilkannya bila "
                "statusnya bukan Tidak aktif."
            ) % {"name": saved.name}
        return _("“%(name)s” tampil di katalog publik.") % {"name": saved.name}
    if key == "product":
        product = product_add(
            actor=user,
            business_id=business.pk,
            name=data["name"],
            description=data["description"],
            price_min=data["price_min"],
            price_max=data["price_max"],
            photo=photo_upload(data.get("photo")),
        )
        return _("Produk “%(name)s” ditambahkan.") % {"name": product.name}
    product_id = int(key.removeprefix("photo-"))
    product = product_photo_set(
        actor=user,
        product_id=product_id,
        photo=photo_upload(data["photo"]),  # type: ignore[arg-type]
    )
    return _("Foto produk “%(name)s” diganti.") % {"name": product.name}


@require_POST
@officer_view(MANAGE)
def business_guidance(request: HttpRequest, business_id: int) -> HttpResponse:
    form = GuidanceForm(request.POST, auto_id="guidance-%s")
    return _act(request, business_id, "guidance", form, _("Status binaan"))


@require_POST
@officer_view(MANAGE)
def business_publish(request: HttpRequest, business_id: int) -> HttpResponse:
    form = PublishForm(request.POST)
    return _act(request, business_id, "publish", form, _("Tampilan katalog"))


@require_POST
@officer_view(MANAGE)
def business_product_add(request: HttpRequest, business_id: int) -> HttpResponse:
    form = ProductForm(request.POST, request.FILES, auto_id="product-%s")
    return _act(request, business_id, "product", form, _("Produk"))


@require_POST
@officer_view(MANAGE)
def business_product_photo(request: HttpRequest, business_id: int, product_id: int) -> HttpResponse:
    user, scope, _area = officer(request)
    business = business_get_for_officer(user=user, business_id=business_id, scope=scope)
    if product_id not in {p.pk for p in business.products_all}:  # type: ignore[attr-defined]
        raise Http404(_("Produk tidak ditemukan."))
    form = ProductPhotoForm(request.POST, request.FILES, auto_id=f"photo-{product_id}-%s")
    return _act(request, business_id, f"photo-{product_id}", form, _("Foto produk"))
