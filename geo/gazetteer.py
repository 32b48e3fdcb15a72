"""The gazetteer: every place the corpus names, with its coordinates and where they came from.

A place of kind `area` stands for a whole region or border stretch: its `geometry:` names a feature of
geo/data/areas.geojson, and its lat/lon is a label point inside that polygon.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import shapely

from datafiles.problems import DataFileError, Problem
from datafiles.yamlfile import line_of, read_yaml
from geo.areas import AREAS_FILE, AreasFileError, load_areas

GAZETTEER = Path(__file__).parent / "gazetteer.yaml"

KINDS = {"area", "capital", "city", "town", "crossing", "farm", "island", "mountain", "river-section", "region"}
PRECISIONS = {"point", "town", "county", "region"}


@dataclass(frozen=True)
class Place:
    """A place of the gazetteer: names in both languages, a point, its kind and precision, and where the point came
    from."""

    id: str
    name: dict  # {"en": ..., "zh": ...}
    lat: float
    lon: float
    kind: str
    precision: str
    coord_source: str
    names: tuple = ()  # ((name, lang), ...)
    note: str = ""
    division: dict | None = None
    founded: str | None = None
    founded_source: str = ""
    border: bool = False
    geometry: str | None = None  # kind area: the id of its polygon in geo/data/areas.geojson

    @property
    def is_area(self) -> bool:
        """Whether the place stands for a whole region or border stretch (drawn as its polygon)."""
        return self.kind == "area"

    def label(self, lang: str = "en") -> str:
        """The place's name in `lang`, else in English, else its id."""
        return self.name.get(lang) or self.name.get("en") or self.id

    def all_names(self) -> list[str]:
        """Every name of the place, in every language and spelling: what search matches."""
        return [*self.name.values(), *(n for n, _ in self.names)]


def _area_problems(entry, areas: dict | str, problem) -> list[Problem]:
    """An area names a polygon of the areas file, and its point (the label point) lies inside it."""
    if entry["kind"] != "area":
        if "geometry" in entry:
            return [problem("geometry", "only a place of kind 'area' has a geometry", ("geometry",))]
        return []
    geometry = entry.get("geometry")
    if not isinstance(geometry, str) or not geometry.strip():
        return [problem("geometry", f"an area needs `geometry:`, the id of its polygon in {AREAS_FILE.name}")]
    if isinstance(areas, str):  # the areas file could not be read: say so at this entry
        return [problem("geometry", areas, ("geometry",))]
    if geometry not in areas:
        return [problem("geometry", f"no polygon with id {geometry!r} in {AREAS_FILE.name}", ("geometry",))]
    problems = []
    if entry["precision"] != "region":
        problems.append(problem("precision", "an area's point is a label point: precision must be 'region'",
                                ("precision",)))  # fmt: skip
    lat, lon = entry["lat"], entry["lon"]
    if not shapely.contains_xy(areas[geometry], float(lon), float(lat)):
        problems.append(problem("lat", f"the label point ({lat}, {lon}) is outside the polygon {geometry!r}", ("lat",)))
    return problems


def _place(entry, i: int, label: str, lines, areas: dict | str | None = None) -> tuple[Place | None, list[Problem]]:
    def problem(field: str, message: str, key: tuple = ()) -> Problem:
        pid = entry.get("id", "-") if isinstance(entry, dict) else "-"
        return Problem(label, line_of(lines, (i, *key)), str(pid), field, message)

    if not isinstance(entry, dict):
        return None, [problem("-", "each place must be a mapping of fields")]
    problems = []
    for field in ("id", "name", "lat", "lon", "kind", "precision", "coord_source"):
        if field not in entry:
            problems.append(problem(field, "missing"))
    if problems:
        return None, problems
    name = entry["name"]
    if not (isinstance(name, dict) and isinstance(name.get("en"), str) and isinstance(name.get("zh"), str)):
        problems.append(problem("name", "needs both en and zh names", ("name",)))
    for field, low, high in (("lat", -90, 90), ("lon", -180, 180)):
        value = entry[field]
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
            problems.append(problem(field, f"must be a number from {low} to {high}, got {value!r}", (field,)))
    if entry["kind"] not in KINDS:
        problems.append(problem("kind", f"must be one of {sorted(KINDS)}", ("kind",)))
    if entry["precision"] not in PRECISIONS:
        problems.append(problem("precision", f"must be one of {sorted(PRECISIONS)}", ("precision",)))
    if not isinstance(entry["coord_source"], str) or not entry["coord_source"].strip():
        problems.append(problem("coord_source", "say where the coordinate came from", ("coord_source",)))
    names = entry.get("names") or []
    if not isinstance(names, list) or not all(isinstance(n, dict) and isinstance(n.get("name"), str) for n in names):
        problems.append(problem("names", "must be a list of {name, lang}", ("names",)))
        names = []
    if problems:
        return None, problems
    problems = _area_problems(entry, _areas() if areas is None else areas, problem)
    if problems:
        return None, problems
    return (
        Place(
            id=str(entry["id"]),
            name={"en": name["en"], "zh": name["zh"]},
            lat=float(entry["lat"]),
            lon=float(entry["lon"]),
            kind=entry["kind"],
            precision=entry["precision"],
            coord_source=entry["coord_source"],
            names=tuple((n["name"], str(n.get("lang", ""))) for n in names),
            note=str(entry.get("note") or ""),
            division=entry.get("division"),
            founded=str(entry["founded"]) if entry.get("founded") else None,
            founded_source=str(entry.get("founded_source") or ""),
            border=bool(entry.get("border", False)),
            geometry=str(entry["geometry"]) if entry["kind"] == "area" else None,
        ),
        [],
    )


def load_places(path: Path = GAZETTEER, label: str | None = None) -> tuple[dict[str, Place], list[Problem]]:
    """Read a gazetteer file. Returns the places that are valid and a problem for each that is not."""
    label = label or str(path)
    try:
        data, lines = read_yaml(path, label=label)
    except DataFileError as exc:
        return {}, exc.problems
    if not isinstance(data, list):
        return {}, [Problem(label, 1, "-", "-", "a gazetteer is a list of places")]
    places: dict[str, Place] = {}
    problems: list[Problem] = []
    areas = _areas()
    for i, entry in enumerate(data):
        place, found = _place(entry, i, label, lines, areas)
        problems += found
        if place is None:
            continue
        if place.id in places:
            problems.append(Problem(label, line_of(lines, (i, "id")), place.id, "id", "duplicate place id"))
            continue
        places[place.id] = place
    return places, problems


def _areas() -> dict | str:
    """The area polygons, or the message saying why the areas file cannot be read."""
    try:
        return load_areas()
    except AreasFileError as exc:
        return str(exc)
