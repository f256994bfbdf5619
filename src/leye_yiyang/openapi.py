"""What the OpenAPI document must say that litestar cannot read from a handler's signature.

* **Alternative representations.** A handler returning ``Response[A | B | C]`` that serves A, B
  and C as different media types says so with ``opt=representations(JSON, GEOJSON, CSV)`` (in the
  union's order); its 200 response then lists each media type with its own schema, instead of
  one application/json ``oneOf`` no client can pick from.
* **A place: lon+lat, or an address.** Query parameters are independent in OpenAPI, so "lon and
  lat together, or address" is one form-exploded object parameter (``style: form,
  explode: true``: the query still reads ``?lon=..&lat=..``) whose schema is an ``anyOf`` of the
  accepted combinations. ``opt=place_parameters("area")`` adds further alternatives. The same
  shape replaces the ``Home`` body schema of the matchers.

* **Request bodies as msgspec reads them.** litestar's rendering of msgspec constraints loses
  some (``ge=0`` on an optional field, constraints on list items, ``forbid_unknown_fields``), so
  the component schemas of request bodies are msgspec's own JSON Schema, the exact rules the
  decoder applies.
* Query and path strings say they hold no control characters (answered with 400 app-wide).

`refine(app)` applies all of it; the app calls it once when built (the document is generated
then)."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated, Any

import msgspec
from litestar.datastructures import UploadFile
from litestar.openapi.spec import (
    Discriminator,
    OpenAPI,
    OpenAPIFormat,
    OpenAPIMediaType,
    OpenAPIResponse,
    OpenAPIType,
    Operation,
    Parameter,
    Reference,
    Schema,
)
from litestar.params import Parameter as Param
from litestar.routes import HTTPRoute

from leye_yiyang.values import MAX_ID

if TYPE_CHECKING:
    from litestar import Litestar

# A record id in a path or query: the same range the bodies' `values.RecordId` has.
Id = Annotated[int, Param(ge=1, le=MAX_ID)]

REPRESENTATIONS = "openapi_representations"
PLACE = "openapi_place"
FILES = "openapi_files"
_POINT = ("lon", "lat")
# The API checks coordinate ranges itself, to tell swapped coordinates from wrong ones; the
# document states the ranges.
_RANGES = {"lon": (-180.0, 180.0), "lat": (-90.0, 90.0)}
# C0 control characters but the tab, which app.refuse_control_characters answers with 400.
NO_CONTROL_CHARACTERS = "^[^\u0000-\u0008\u000a-\u001f]*$"
_CONSTRAINTS = (
    "minimum",
    "maximum",
    "exclusive_minimum",
    "exclusive_maximum",
    "min_length",
    "max_length",
    "pattern",
    "description",
)
_PLACE_DOC = (
    "Where: `lon` and `lat` together (in `crs`), or `address` (an address or place name); "
    "coordinates win when both are sent."
)


def representations(*media_types: str) -> dict[str, Any]:
    """Handler ``opt``: the i-th member of the return annotation's union is served as the i-th
    media type."""
    return {REPRESENTATIONS: media_types}


def files(*media_types: str) -> dict[str, Any]:
    """Handler ``opt``: a 200 whose body is a file in one of these media types (bytes)."""
    return {FILES: media_types}


def place_parameters(*alternatives: str) -> dict[str, Any]:
    """Handler ``opt``: its lon/lat/address parameters (and each named alternative, which alone
    suffices and wins over the others) are one place."""
    return {PLACE: alternatives}


def refine(app: Litestar) -> None:
    openapi = app.openapi_schema
    _body_schemas(app, openapi)
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for handler in route.route_handlers:
            path_item = (openapi.paths or {}).get(route.path_format or "/")
            if path_item is None or not handler.include_in_schema:
                continue
            for method in handler.http_methods:
                operation = getattr(path_item, method.lower(), None)
                if not isinstance(operation, Operation):
                    continue
                if REPRESENTATIONS in handler.opt:
                    _split_representations(operation, handler.opt[REPRESENTATIONS])
                if FILES in handler.opt:
                    _as_files(operation, handler.opt[FILES])
                _no_control_characters(operation)
                if PLACE in handler.opt:
                    _one_place(operation, handler.opt[PLACE])
    _home_body(openapi)


def _as_files(operation: Operation, media_types: Sequence[str]) -> None:
    ok = (operation.responses or {}).get("200")
    if not isinstance(ok, OpenAPIResponse):
        raise ValueError(f"{operation.operation_id}: no 200 response to describe")
    binary = Schema(type=OpenAPIType.STRING, format=OpenAPIFormat.BINARY)
    # A JSON file (GeoJSON) is a JSON document to a client, not a string: any JSON value.
    ok.content = {
        mt: OpenAPIMediaType(schema=Schema() if mt.endswith("json") else binary)
        for mt in media_types
    }


def _split_representations(operation: Operation, media_types: Sequence[str]) -> None:
    ok = (operation.responses or {}).get("200")
    if not isinstance(ok, OpenAPIResponse) or not ok.content:
        raise ValueError(f"{operation.operation_id}: no 200 response to split")
    (single,) = ok.content.values()
    schema = single.schema
    members = schema.one_of if isinstance(schema, Schema) else None
    if not members or len(members) != len(media_types):
        raise ValueError(
            f"{operation.operation_id}: the return union has {len(members or [])} members for "
            f"{len(media_types)} media types"
        )
    # A media type named twice (two JSON shapes, e.g. a page and its compact form) is anyOf: an
    # empty page is valid as either.
    by_type: dict[str, list[Schema | Reference]] = {}
    for mt, member in zip(media_types, members, strict=True):
        by_type.setdefault(mt, []).append(member)
    ok.content = {
        mt: OpenAPIMediaType(schema=group[0] if len(group) == 1 else Schema(any_of=group))
        for mt, group in by_type.items()
    }


def _alternative(
    required: Sequence[str],
    allowed: Sequence[str],
    schemas: dict[str, Schema | Reference],
    optional: dict[str, Schema | Reference],
) -> Schema:
    return Schema(
        type=OpenAPIType.OBJECT,
        required=list(required),
        properties={n: schemas[n] if n in required else optional[n] for n in allowed},
        additional_properties=False,
    )


def _place_schema(
    schemas: dict[str, Schema | Reference],
    alternatives: Sequence[str],
    description: str,
    optional: dict[str, Schema | Reference] | None = None,
) -> Schema:
    """lon+lat (address may come too, ignored); address alone; each alternative, winning over
    all else. Anything else, e.g. lat with an address, is refused. `optional`: how a property
    that is not required may be sent (in a JSON body also as null)."""
    optional = optional or schemas
    everything = [*_POINT, "address", *alternatives]
    # A body may carry "lon": null beside an address; a query has no null to send.
    nulls = [n for n in _POINT if optional[n] is not schemas[n]]
    options = [
        _alternative(_POINT, everything, schemas, optional),
        _alternative(["address"], [*nulls, "address", *alternatives], schemas, optional),
        *(_alternative([alt], everything, schemas, optional) for alt in alternatives),
    ]
    return Schema(any_of=options, description=description)


def _non_null(schema: Schema | Reference) -> Schema | Reference:
    """`float | None` is documented as oneOf[number, null]; in a place, absent is the null."""
    members = isinstance(schema, Schema) and (schema.one_of or schema.any_of)
    if isinstance(schema, Schema) and members:
        kept = [s for s in members if not (isinstance(s, Schema) and s.type == "null")]
        if len(kept) == 1 and isinstance(kept[0], Schema):
            outer = {k: getattr(schema, k) for k in _CONSTRAINTS if getattr(schema, k) is not None}
            return dataclasses.replace(kept[0], **outer)
    return schema


def _coordinate(name: str, schema: Schema | Reference) -> Schema | Reference:
    if name not in _RANGES or not isinstance(schema, Schema):
        return schema
    lo, hi = _RANGES[name]
    return dataclasses.replace(schema, minimum=lo, maximum=hi)


def _strings(schema: Schema | Reference | None) -> list[Schema]:
    if not isinstance(schema, Schema):
        return []
    if schema.type == OpenAPIType.STRING and not (schema.enum or schema.format or schema.pattern):
        return [schema]
    return [s for member in schema.one_of or [] for s in _strings(member)]


def _no_control_characters(operation: Operation) -> None:
    for p in operation.parameters or []:
        if isinstance(p, Parameter) and p.param_in in ("query", "path"):
            for schema in _strings(p.schema):
                schema.pattern = NO_CONTROL_CHARACTERS


def _one_place(operation: Operation, alternatives: Sequence[str]) -> None:
    names = {*_POINT, "address", *alternatives}
    params = [p for p in operation.parameters or [] if isinstance(p, Parameter)]
    taken = {p.name: p for p in params if p.param_in == "query" and p.name in names}
    if set(taken) != names:
        raise ValueError(f"{operation.operation_id}: missing {sorted(names - set(taken))}")
    schemas: dict[str, Schema | Reference] = {}
    for name, p in taken.items():
        if p.schema is None:
            raise ValueError(f"{operation.operation_id}: {name} has no schema")
        schemas[name] = _coordinate(name, _non_null(p.schema))
    place = Parameter(
        name="place",
        param_in="query",
        required=True,
        style="form",
        explode=True,
        description=_PLACE_DOC + "".join(f" Or `{a}`, which wins." for a in alternatives),
        schema=_place_schema(schemas, alternatives, _PLACE_DOC),
    )
    rest = [p for p in operation.parameters or [] if not any(p is t for t in taken.values())]
    operation.parameters = [place, *rest]


def _home_body(openapi: OpenAPI) -> None:
    components = openapi.components.schemas if openapi.components else None
    home = (components or {}).get("Home")
    if not isinstance(home, Schema) or not home.properties:
        return
    schemas = {name: _coordinate(name, _non_null(s)) for name, s in home.properties.items()}
    optional: dict[str, Schema | Reference] = {
        "lon": Schema(type=OpenAPIType.NULL),
        "lat": Schema(type=OpenAPIType.NULL),
        "address": home.properties["address"],
    }
    refined = _place_schema(schemas, (), home.description or _PLACE_DOC, optional)
    refined.title = home.title
    assert components is not None
    components["Home"] = refined


def _body_schemas(app: Litestar, openapi: OpenAPI) -> None:
    types = []
    for route in app.routes:
        if isinstance(route, HTTPRoute):
            for handler in route.route_handlers:
                data = handler.parsed_fn_signature.parameters.get("data")
                if data is not None and handler.include_in_schema:
                    types.append(data.annotation)
    if not types or openapi.components.schemas is None:
        return
    _, components = msgspec.json.schema_components(types, schema_hook=_upload, ref_template=_REF)
    for name, schema in components.items():
        openapi.components.schemas[name] = _as_schema(schema)


def _upload(kind: type) -> dict[str, Any]:
    """A multipart file field (the import's sheet) is binary content in OpenAPI."""
    if kind is UploadFile:
        return {"type": "string", "format": "binary"}
    raise NotImplementedError(kind)


_REF = "#/components/schemas/{name}"
_ALIASES = Schema().field_aliases()
_ONE = frozenset({"items", "not", "contains", "additionalProperties", "propertyNames"})
_MANY = frozenset({"anyOf", "oneOf", "allOf", "prefixItems"})
_BY_NAME = frozenset({"properties", "patternProperties"})


def _as_schema(d: dict[str, Any]) -> Schema:
    """A JSON Schema dict (as msgspec writes it) as litestar's Schema objects."""
    if "$ref" in d:
        ref = Reference(ref=d["$ref"])
        rest = {k: v for k, v in d.items() if k != "$ref"}
        return (
            _as_schema({**rest, "allOf": [{"$ref": d["$ref"]}]}) if rest else Schema(all_of=[ref])
        )
    kwargs: dict[str, Any] = {}
    for key, value in d.items():
        if key in _ONE and isinstance(value, dict):
            value = _member(value)
        elif key in _MANY:
            value = [_member(v) for v in value]
        elif key in _BY_NAME:
            value = {k: _member(v) for k, v in value.items()}
        elif key == "discriminator":
            value = Discriminator(property_name=value["propertyName"], mapping=value.get("mapping"))
        kwargs[_ALIASES.get(key, key)] = value
    return Schema(**kwargs)


def _member(d: dict[str, Any]) -> Schema | Reference:
    if set(d) == {"$ref"}:
        return Reference(ref=d["$ref"])
    return _as_schema(d)
