"""The case audit's questions: ``data/audit_questions.csv``, one row per question, read once per process.

``code``      the question's name in the code base and in ``CaseAuditAnswer.question`` (never reused)
``theme``     a short heading ("The child's voice")
``text``      the question the auditor answers
``guidance``  the statute, regulation or inspection criterion the question rests on, shown beside it so the
              auditor grades against the same standard as an inspector would

The themes follow what Ofsted's inspection of local authority children's services (ILACS, framework updated
13 December 2024) looks for in children's records: the child seen and heard, risk analysed, plans that say
what will change and by when, visits on time, and management oversight. A council changes its questions by
editing the file: an answer keeps the text it was given against, so completed audits read as they were.
"""

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

QUESTIONS_FILE = Path(__file__).parent / "data" / "audit_questions.csv"
COLUMNS = ("code", "theme", "text", "guidance")


@dataclass(frozen=True)
class Question:
    code: str
    theme: str
    text: str
    guidance: str


def read_questions(path: Path = QUESTIONS_FILE) -> dict[str, Question]:
    """The questions in file order, checked: every column present and filled, each code once."""
    found: dict[str, Question] = {}
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        if tuple(reader.fieldnames or ()) != COLUMNS:
            raise ValueError(f"{path.name} must have the columns {', '.join(COLUMNS)}")
        for line, row in enumerate(reader, start=2):
            values = {column: (row.get(column) or "").strip() for column in COLUMNS}
            empty = [column for column, value in values.items() if not value]
            if empty:
                raise ValueError(f"{path.name} line {line}: {', '.join(empty)} is empty")
            if values["code"] in found:
                raise ValueError(f"{path.name} line {line}: the code {values['code']!r} is used twice")
            found[values["code"]] = Question(**values)
    if not found:
        raise ValueError(f"{path.name} has no questions")
    return found


@cache
def questions() -> dict[str, Question]:
    return read_questions()
