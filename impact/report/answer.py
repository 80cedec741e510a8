"""The dossier's table « recommandation / réponse / ce qui reste à demander ».

The project file's ``authority_opinion`` block records the environmental authority's opinion (its
recommendations) and the promoter's written answer to each. For each recommendation the table gives
what was answered and what the resident can still ask: the user's own text when the file gives one,
else a sentence from the answer's status, read from the file and nothing else:

- ``none``: no answer is recorded;
- ``unquantified``: the answer has no digit at all (an opinion asks for commitments « chiffrés »: an
  answer without a single digit cannot carry a figure; one with a digit is not judged further);
- ``quantified``: the answer has at least one digit.

See docs/answer.md.
"""

from __future__ import annotations

import re

from .catalogue import catalogue

#: The statuses of an answer, in the order the dossier counts them.
STATUSES = ("none", "unquantified", "quantified")

_DIGIT = re.compile(r"\d")


def answer_status(answer: str | None) -> str:
    """``none`` without an answer, ``unquantified`` when it has no digit, else ``quantified``."""
    if answer is None or not answer.strip():
        return "none"
    return "quantified" if _DIGIT.search(answer) else "unquantified"


def _ref(rec, rank: int) -> str:
    return rec.ref if rec.ref is not None else f"{rank}"


def _date_text(date, lang: str) -> str:
    from .dossier import date_words  # the dossier's own date wording (imports this module lazily)

    return date_words(date, lang)


def table(project, lang: str) -> dict:
    """The opinion's rows (ref, topic, recommendation, answer, status, remaining), its source lines and counts.

    ``present`` is False when the project file has no ``authority_opinion`` block: the dossier then says so.
    """
    t = catalogue(lang)
    law_key = f"answer.law.{project.country}"
    law = t(law_key) if t.has(law_key) else ""
    opinion = project.authority_opinion
    if opinion is None:
        return {"present": False, "law": law, "rows": [], "counts": {}, "opinion": "", "answer_source": ""}
    rows = []
    for rank, rec in enumerate(opinion.recommendations, start=1):
        status = answer_status(rec.answer)
        rows.append(
            {
                "ref": _ref(rec, rank),
                "topic": t(f"answer.topic.{rec.topic}") if rec.topic else "",
                "text": rec.text,
                "answer": rec.answer if status != "none" else t("answer.cell.no_answer"),
                "answer_source": rec.answer_source or "",
                "status": status,
                "status_text": t(f"answer.status.{status}"),
                "remaining": rec.remaining if rec.remaining is not None else t(f"answer.remaining.{status}"),
            }
        )
    counts = {s: sum(1 for r in rows if r["status"] == s) for s in STATUSES}
    parts = [opinion.authority]
    if opinion.reference:
        parts.append(opinion.reference)
    if opinion.date is not None:
        parts.append(_date_text(opinion.date, lang))
    source = t("answer.opinion", opinion=", ".join(parts))
    if opinion.url:
        source += " " + opinion.url
    if opinion.answer_source:
        answer_source = t("answer.answer_source.given", source=opinion.answer_source)
    else:
        answer_source = t("answer.answer_source.missing")
    summary = t("answer.summary", total=len(rows), **counts)
    return {
        "present": True,
        "law": law,
        "opinion": source,
        "answer_source": answer_source,
        "summary": summary,
        "rows": rows,
        "counts": counts,
    }


def questions(project, lang: str) -> list[str]:
    """A question for each recommendation without an answer, or answered without any figure."""
    opinion = project.authority_opinion
    if opinion is None:
        return []
    t = catalogue(lang)
    out = []
    for rank, rec in enumerate(opinion.recommendations, start=1):
        status = answer_status(rec.answer)
        if status != "quantified":
            out.append(t(f"answer.question.{status}", ref=_ref(rec, rank), authority=opinion.authority))
    return out
