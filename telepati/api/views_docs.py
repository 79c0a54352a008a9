"""The OpenAPI schema (/api/v1/schema/, drf-spectacular, JSON by default) and a reference
page rendered from it on the server (/api/v1/docs/): operations, parameters, bodies,
answers and every schema component, with curl examples and "Coba" forms for the calls that
need no key. No JavaScript and no third-party assets: it works offline and on a cheap phone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer, OpenApiYamlRenderer
from drf_spectacular.views import SpectacularAPIView

METHODS = ("get", "post", "put", "patch", "delete")


class SchemaView(SpectacularAPIView):
    renderer_classes = [OpenApiJsonRenderer, OpenApiYamlRenderer]


@dataclass(frozen=True)
class Property:
    name: str
    type: str
    required: bool
    description: str


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    anchor: str
    summary: str
    description: str
    needs_key: bool
    parameters: list[dict[str, Any]]
    request_bodies: list[tuple[str, str]]
    responses: list[tuple[str, str, str]]
    query_names: list[str] = field(default_factory=list)


def _ref_name(schema: dict[str, Any]) -> str:
    ref = schema.get("$ref", "")
    return ref.rsplit("/", 1)[-1] if ref else ""


def type_label(schema: dict[str, Any]) -> str:
    """A short human label of a schema: `Category`, `array of Category`, `string (date-time)`."""
    if "$ref" in schema:
        return _ref_name(schema)
    if schema.get("allOf"):
        return " & ".join(type_label(part) for part in schema["allOf"])
    if "oneOf" in schema:
        return " | ".join(type_label(part) for part in schema["oneOf"])
    kind = str(schema.get("type", "object"))
    if kind == "array":
        return f"array of {type_label(schema.get('items', {}))}"
    label = kind
    if "format" in schema:
        label += f" ({schema['format']})"
    if "enum" in schema:
        label += ": " + ", ".join(str(value) for value in schema["enum"] if value is not None)
    if schema.get("nullable"):
        label += ", null"
    return label


def _properties(schema: dict[str, Any]) -> list[Property]:
    required = set(schema.get("required", []))
    return [
        Property(name, type_label(spec), name in required, str(spec.get("description", "")))
        for name, spec in schema.get("properties", {}).items()
    ]


def _operation(path: str, method: str, spec: dict[str, Any]) -> Operation:
    security = spec.get("security", [])
    parameters = [
        {
            "name": p["name"],
            "in": p["in"],
            "required": p.get("required", False),
            "type": type_label(p.get("schema", {})),
            "description": p.get("description", ""),
        }
        for p in spec.get("parameters", [])
    ]
    bodies = [
        (media, type_label(content.get("schema", {})))
        for media, content in spec.get("requestBody", {}).get("content", {}).items()
    ]
    responses = []
    for status, answer in spec.get("responses", {}).items():
        content = answer.get("content", {}).get("application/json", {})
        responses.append(
            (
                status,
                type_label(content.get("schema", {})) if content else "",
                answer.get("description", ""),
            )
        )
    return Operation(
        method=method.upper(),
        path=path,
        anchor=spec.get("operationId", f"{method}-{path}"),
        summary=spec.get("summary", ""),
        description=spec.get("description", ""),
        needs_key=bool(security) and {} not in security,
        parameters=parameters,
        request_bodies=bodies,
        responses=responses,
        query_names=[p["name"] for p in parameters if p["in"] == "query"],
    )


@require_GET
def docs(request: HttpRequest) -> HttpResponse:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    operations = [
        _operation(path, method, spec)
        for path, item in schema.get("paths", {}).items()
        for method, spec in item.items()
        if method in METHODS
    ]
    components = sorted(
        (name, _properties(spec), str(spec.get("description", "")))
        for name, spec in schema.get("components", {}).get("schemas", {}).items()
    )
    return render(
        request,
        "api/docs.html",
        {
            "info": schema.get("info", {}),
            "operations": operations,
            "components": components,
            "base_url": request.build_absolute_uri("/").rstrip("/"),
        },
    )
