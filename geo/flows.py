"""The 1962 flight as flows: lines from a region through a crossing into the Kazakh SSR, with arrowheads."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from datafiles.dates import When, parse_when
from datafiles.problems import DataFileError, Problem, rel
from datafiles.yamlfile import line_of, read_yaml
from geo.gazetteer import Place

FLOWS = Path(__file__).parent / "flows.yaml"


@dataclass(frozen=True)
class Flow:
    """One stream of the 1962 flight: from a region through a crossing into the Kazakh SSR, with the events it draws
    on."""

    id: str
    name: dict
    path: tuple[tuple[float, float], ...]  # (lon, lat) from origin, via the crossing, into the Kazakh SSR
    when: When
    events: tuple[str, ...]
    note: dict | None = None


def read_flows(places: dict[str, Place], path: Path = FLOWS) -> tuple[list[Flow], list[Problem]]:
    """The flows whose places are known, and a problem (with its line) for each flow left out because
    its places are not; raises DataFileError on a file that cannot be read."""
    label = rel(path)
    data, lines = read_yaml(path, label=label)
    if not isinstance(data, list):
        raise DataFileError([Problem(label, 1, "-", "-", "flows.yaml is a list of flows")])
    flows, left_out = [], []
    for i, raw in enumerate(data):
        origin, via = places.get(raw.get("from")), places.get(raw.get("via"))
        if origin is None or via is None:
            left_out.append(Problem(label, line_of(lines, (i,)), str(raw.get("id", "-")), "-",
                                    "this flow is not drawn: it needs id, name, from and via (places in the "
                                    "gazetteer), into and when"))  # fmt: skip
            continue
        into = tuple(float(x) for x in raw["into"])
        flows.append(
            Flow(
                raw["id"],
                raw["name"],
                ((origin.lon, origin.lat), (via.lon, via.lat), into),
                parse_when(str(raw["when"])),
                tuple(raw.get("events", ())),
                raw.get("note"),
            )  # fmt: skip
        )
    return flows, left_out


def flows_or_problems(places: dict[str, Place], path: Path = FLOWS) -> tuple[list[Flow], list[Problem]]:
    """The flows and the problems reading them; none at all if the file cannot be read, for the map
    works without them (the About page names the file)."""
    try:
        return read_flows(places, path)
    except DataFileError as exc:
        return [], exc.problems
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        why = f"missing field {exc}" if isinstance(exc, KeyError) else str(exc)
        return [], [Problem(rel(path), None, "-", "-", f"cannot read the flows ({why}); the map is drawn without them")]


def load_flows(places: dict[str, Place], path: Path = FLOWS) -> list[Flow]:
    """The flows whose places are known; raises DataFileError on a file that cannot be read."""
    return read_flows(places, path)[0]


def arrowhead(path, size: float = 0.25) -> list[tuple[float, float]]:
    """A small triangle (lon, lat ring) at the end of `path`, pointing along its last leg."""
    (x1, y1), (x2, y2) = path[-2], path[-1]
    angle = math.atan2(y2 - y1, (x2 - x1) * math.cos(math.radians(y2)))
    left, right = angle + math.radians(150), angle - math.radians(150)
    k = 1 / math.cos(math.radians(y2))
    return [(x2, y2), (x2 + size * math.cos(left) * k, y2 + size * math.sin(left)),
            (x2 + size * math.cos(right) * k, y2 + size * math.sin(right)), (x2, y2)]  # fmt: skip


def flow_features(flows: list[Flow]) -> dict:
    """The flows as GeoJSON: each a line and an arrowhead (`part`), with its names, date (EDTF) and events."""
    features = []
    for f in flows:
        props = {"id": f.id, "name": f.name, "when": f.when.edtf, "events": list(f.events), "note": f.note}
        features.append({"type": "Feature", "geometry": {"type": "LineString", "coordinates": [list(p) for p in f.path]},
                         "properties": {**props, "part": "line"}})  # fmt: skip
        features.append({"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [arrowhead(f.path)]},
                         "properties": {**props, "part": "head"}})  # fmt: skip
    return {"type": "FeatureCollection", "features": features}
