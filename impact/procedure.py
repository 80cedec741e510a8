"""The public participation procedure a contribution answers, as facts.

The type of procedure (enquête publique, consultation of L. 181-10-1, concertation
préalable, participation by electronic means) sets who receives the contribution
and on what legal basis (``data/reference/procedures.csv``). The sentences
(salutation, description) live in the catalogue, keyed by the type.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .results import InputRecord
from .sources import reference as ref

#: The most common procedure for a data center's authorisation: used when the project names none.
DEFAULT_TYPE = "enquete_publique"


@dataclass(frozen=True)
class ProcedureFacts:
    """The procedure: its type, dates, addressee (a machine key), legal basis, and whether it was given."""

    type: str
    addressee: str  # commissaire_enqueteur | garants | autorite
    legal_basis: str
    led_by: str
    minimum_duration: float
    minimum_duration_unit: str
    status: str  # given | default
    source: str
    start: dt.date | None = None
    end: dt.date | None = None
    authority: str | None = None
    url: str | None = None

    @property
    def duration_days(self) -> int | None:
        """Days from start to end, both included; None without both dates."""
        if self.start is None or self.end is None:
            return None
        return (self.end - self.start).days + 1

    def to_dict(self) -> dict:
        return {
            "type": self.type,
            "addressee": self.addressee,
            "legal_basis": self.legal_basis,
            "led_by": self.led_by,
            "minimum_duration": self.minimum_duration,
            "minimum_duration_unit": self.minimum_duration_unit,
            "status": self.status,
            "source": self.source,
            "start": self.start.isoformat() if self.start else None,
            "end": self.end.isoformat() if self.end else None,
            "duration_days": self.duration_days,
            "authority": self.authority,
            "url": self.url,
        }

    def records(self, project_source: str) -> list[InputRecord]:
        """The procedure as input records (type and addressee), for the inputs table."""
        if self.status == "given":
            kind = InputRecord(
                "procedure.type", self.type, "-", "given", project_source, "", note_key="note.procedure.given"
            )
        else:
            kind = InputRecord(
                "procedure.type",
                self.type,
                "-",
                "default",
                self.source,
                "no procedure given: the enquête publique, the most common, is assumed",
                note_key="note.procedure.default",
                note_args=(("type", self.type),),
            )
        addressee = InputRecord(
            "procedure.addressee",
            self.addressee,
            "-",
            "derived" if self.status == "given" else "default",
            self.source,
            f"who receives the contribution ({self.legal_basis})",
            note_key="note.procedure.addressee",
            note_args=(("addressee", self.addressee), ("legal_basis", self.legal_basis)),
        )
        return [kind, addressee]


def procedure_types() -> dict[str, dict[str, str]]:
    """The rows of ``data/reference/procedures.csv`` by type."""
    return {r["type"]: r for r in ref.read_reference_table("procedures")}


def resolve_procedure(project) -> ProcedureFacts:
    """The project's procedure, or the default (an enquête publique), with its addressee and legal basis."""
    given = project.procedure
    kind = given.type if given is not None else DEFAULT_TYPE
    row = procedure_types()[kind]
    source = f"{row['source']}, {row['year']} [{row['quality']}]"
    return ProcedureFacts(
        type=kind,
        addressee=row["addressee"],
        legal_basis=row["legal_basis"],
        led_by=row["led_by"],
        minimum_duration=float(row["value"]),
        minimum_duration_unit=row["unit"],
        status="given" if given is not None else "default",
        source=source,
        start=given.start if given else None,
        end=given.end if given else None,
        authority=given.authority if given else None,
        url=given.url if given else None,
    )
