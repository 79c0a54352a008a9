"""Factories for territory and units."""

import factory

from telepati.org.models import Kecamatan, Kelurahan, Lingkungan, Unit, UnitKind


class KecamatanFactory(factory.django.DjangoModelFactory[Kecamatan]):
    class Meta:
        model = Kecamatan
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"Kecamatan {n}")
    code = factory.LazyAttribute(lambda o: o.name.lower().replace(" ", "-"))
    city = "Kota Medan"


class KelurahanFactory(factory.django.DjangoModelFactory[Kelurahan]):
    class Meta:
        model = Kelurahan
        django_get_or_create = ("code",)

    kecamatan = factory.SubFactory(KecamatanFactory)
    name = factory.Sequence(lambda n: f"Kelurahan {n}")
    code = factory.LazyAttribute(
        lambda o: f"{o.kecamatan.code}--{o.name.lower().replace(' ', '-')}"
    )


class LingkunganFactory(factory.django.DjangoModelFactory[Lingkungan]):
    class Meta:
        model = Lingkungan

    kelurahan = factory.SubFactory(KelurahanFactory)
    number = factory.Sequence(lambda n: n + 1)


class UnitFactory(factory.django.DjangoModelFactory[Unit]):
    class Meta:
        model = Unit
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"Unit {n}")
    code = factory.Sequence(lambda n: f"unit-{n}")
    kind = UnitKind.SECTION
    kecamatan = factory.SubFactory(KecamatanFactory)
