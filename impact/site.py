"""Where a site is: its commune, département, région and EPCI, found once.

A site with coordinates is placed in its commune by point in polygon on the shipped
France-wide outlines (:mod:`impact.sources.france`); the declared ``city`` is then
checked against it. Without coordinates, the declared city is looked up by name
(placed only when one commune bears that name). The :class:`Site` is resolved once
per estimate (in :func:`impact.inputs.resolve_inputs`) and flows to the local
context, the maps, the report and the batch's grouping by territory.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

#: Territory levels a batch can group by, and the Site attribute holding each.
LEVELS = ("commune", "departement", "region", "epci")


@dataclass(frozen=True)
class Site:
    """A site placed in its territories (all None when it could not be placed).

    Attributes
    ----------
    commune, arrondissement : impact.sources.france.Commune or None
        The commune at the site's coordinates (or of its declared city), and its
        municipal arrondissement in Paris, Lyon and Marseille.
    departement, region, epci : impact.sources.france.Territory or None
    placed_by : str
        ``coordinates``, ``city_name`` or ``none``.
    reason : str
        Why the site is not placed (a key): ``outside_france`` (country is not FR),
        ``no_location`` (neither coordinates nor city), ``not_in_a_commune`` (the
        coordinates fall at sea or abroad), ``city_not_found``, ``city_ambiguous``
        (several communes bear the declared name: coordinates are needed).
    declared_city : str or None
        The project's ``city`` as written.
    city_check : str
        ``match``, ``mismatch`` (the coordinates fall in another commune than the
        declared city), ``not_declared`` or ``not_checked``.
    candidates : tuple of str
        INSEE codes of the communes an ambiguous city name matches.
    """

    commune: Any = None
    arrondissement: Any = None
    departement: Any = None
    region: Any = None
    epci: Any = None
    placed_by: str = "none"
    reason: str = ""
    declared_city: str | None = None
    city_check: str = "not_checked"
    candidates: tuple[str, ...] = ()

    @property
    def placed(self) -> bool:
        return self.commune is not None

    @property
    def city_name(self) -> str:
        """The name to show for the site's city: the commune's, else the declared one."""
        if self.commune is not None:
            return self.commune.name
        return (self.declared_city or "").strip()

    @property
    def coastal(self) -> bool | None:
        return None if self.commune is None else self.commune.coastal

    def territory(self, level: str) -> tuple[str, str] | None:
        """``(code, name)`` of the site's territory at ``level`` (one of :data:`LEVELS`), or None."""
        if level not in LEVELS:
            raise ValueError(f"level must be one of {', '.join(LEVELS)}, got {level!r}")
        t = getattr(self, level)
        return None if t is None else (t.code, t.name)

    def to_dict(self) -> dict:
        """Plain values, for JSON: codes and names of each level, and how the site was placed."""
        out: dict[str, Any] = {
            "placed_by": self.placed_by,
            "reason": self.reason,
            "declared_city": self.declared_city,
            "city_check": self.city_check,
        }
        for level in ("commune", "arrondissement", "departement", "region", "epci"):
            t = getattr(self, level)
            out[level] = None if t is None else {"code": t.code, "name": t.name, "population": t.population}
        if self.commune is not None:
            out["coastal"] = self.commune.coastal
            out["off_coast"] = self.commune.off_coast
        if self.candidates:
            out["candidates"] = list(self.candidates)
        return out


def _same_place(declared: str, commune, arrondissement) -> bool:
    from .sources.france import normalise_name

    key = normalise_name(declared)
    names = [commune.name] + ([arrondissement.name] if arrondissement is not None else [])
    keys = [normalise_name(n) for n in names]
    # « Marseille 15e » names the commune of Marseille as well as its arrondissement.
    return any(key == k or key.startswith(k + " ") or k.startswith(key + " ") for k in keys)


def _with_levels(commune, **kw) -> Site:
    from .sources import france

    return Site(
        commune=commune,
        departement=france.departement(commune.dep),
        region=france.region(commune.region),
        epci=france.epci(commune.epci) if commune.epci else None,
        **kw,
    )


def place_site(project) -> Site:
    """Place ``project`` in its commune, département, région and EPCI.

    Parameters
    ----------
    project : Project
        Its ``country``, ``location`` and ``city`` are used.

    Returns
    -------
    Site
        Placed by coordinates when there are any, else by the declared city's name;
        ``reason`` says why not when it could not be placed.
    """
    from .sources import france

    declared = (project.city or "").strip() or None
    if project.country != "FR":
        return Site(reason="outside_france", declared_city=declared)
    loc = project.location
    if loc is not None:
        commune = france.commune_at(loc.lat, loc.lon)
        if commune is None:
            return Site(reason="not_in_a_commune", declared_city=declared)
        arrondissement = france.arrondissement_at(loc.lat, loc.lon)
        if declared is None:
            check = "not_declared"
        else:
            check = "match" if _same_place(declared, commune, arrondissement) else "mismatch"
        return _with_levels(
            commune, arrondissement=arrondissement, placed_by="coordinates", declared_city=declared, city_check=check
        )
    if declared is None:
        return Site(reason="no_location")
    key = france.normalise_name(declared)
    exact = [
        c
        for c in france.find_communes(declared, limit=50)
        if c.kind == "commune" and france.normalise_name(c.name) == key
    ]
    if not exact:
        return Site(reason="city_not_found", declared_city=declared)
    if len(exact) > 1:
        return Site(reason="city_ambiguous", declared_city=declared, candidates=tuple(c.code for c in exact))
    return _with_levels(exact[0], placed_by="city_name", declared_city=declared, city_check="match")
