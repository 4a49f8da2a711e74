"""The CIN census file: written as the DfE's collection system (COLLECT) takes it, and read back from a
council's own file, however it was made.

**Writing** follows the DfE specification's layout (DOMAIN.md §3): ``Message`` with no XML namespace,
``Header/CollectionDetails`` (Collection ``CIN``, Year, ReferenceDate) and ``Header/Source`` (SourceLevel
``L``, LEA, SoftwareCode, Release, SerialNo, DateTime), then ``Children/Child`` with each element in the
schema's order. Dates are ``YYYY-MM-DD``; yes/no items are ``1``/``0``; an empty item is left out.

**Reading** takes real files, which are messy, and says what it did with each oddity (``Note``): a default
namespace is read as if absent; stray text between elements is ignored; ``true``/``false`` (any case) is
taken for ``1``/``0``; a date written ``dd/mm/yyyy`` or with a two-digit year is read, the century chosen so
that the date is not after the collection year; an element the census does not have is ignored. What cannot
be read (a date that is no date, a file that is not XML) is a problem, reported with its line, and the item
is left empty so that the rules report what follows from it.
"""

import datetime
import re
from dataclasses import dataclass

from lxml import etree

from safeguard.core.years import CollectionYear
from safeguard.returns.cin_census.model import (
    Assessment,
    Child,
    CinPlan,
    CinReturn,
    CPPlan,
    Episode,
    Header,
    Section47,
)
from safeguard.returns.rules import Source

# --- writing -------------------------------------------------------------------------------------------


def _text(parent, tag: str, value) -> None:
    """Append ``<tag>value</tag>`` unless the value is empty."""
    if value is None or value == "":
        return
    if isinstance(value, bool):
        value = "1" if value else "0"
    elif isinstance(value, datetime.datetime):
        value = value.replace(microsecond=0, tzinfo=None).isoformat()
    elif isinstance(value, datetime.date):
        value = value.isoformat()
    etree.SubElement(parent, tag).text = str(value)


def _sex_tag(year: CollectionYear) -> str:
    # Sex (M/F/U) replaced GenderCurrent (1/2/0/9) from 2024-25 (DfE CIN census 2024-25 specification).
    return "Sex" if year.end_year >= 2025 else "GenderCurrent"


def to_xml(the_return: CinReturn) -> bytes:
    header = the_return.header
    message = etree.Element("Message")
    head = etree.SubElement(message, "Header")
    details = etree.SubElement(head, "CollectionDetails")
    _text(details, "Collection", "CIN")
    _text(details, "Year", header.year.end_year)
    _text(details, "ReferenceDate", header.reference_date)
    source = etree.SubElement(head, "Source")
    _text(source, "SourceLevel", "L")
    _text(source, "LEA", header.lea)
    _text(source, "SoftwareCode", header.software_code)
    _text(source, "Release", header.release)
    _text(source, "SerialNo", header.serial_no)
    _text(source, "DateTime", header.generated_at)
    children = etree.SubElement(message, "Children")
    sex_tag = _sex_tag(header.year)
    for child in the_return.children:
        element = etree.SubElement(children, "Child")
        ids = etree.SubElement(element, "ChildIdentifiers")
        _text(ids, "LAchildID", child.la_child_id)
        _text(ids, "UPN", child.upn)
        _text(ids, "FormerUPN", child.former_upn)
        _text(ids, "UPNunknown", child.upn_unknown)
        _text(ids, "PersonBirthDate", child.birth_date)
        _text(ids, "ExpectedPersonBirthDate", child.expected_birth_date)
        _text(ids, sex_tag, child.sex)
        _text(ids, "PersonDeathDate", child.death_date)
        characteristics = etree.SubElement(element, "ChildCharacteristics")
        _text(characteristics, "Ethnicity", child.ethnicity)
        if child.disabilities:
            disabilities = etree.SubElement(characteristics, "Disabilities")
            for code in child.disabilities:
                _text(disabilities, "Disability", code)
        for episode in child.episodes:
            _write_episode(etree.SubElement(element, "CINdetails"), episode)
    declaration = b'<?xml version="1.0" encoding="UTF-8"?>\n'
    return declaration + etree.tostring(message, encoding="utf-8", pretty_print=True)


def _write_episode(element, episode: Episode) -> None:
    _text(element, "CINreferralDate", episode.referral_date)
    _text(element, "ReferralSource", episode.referral_source)
    _text(element, "PrimaryNeedCode", episode.primary_need)
    _text(element, "CINclosureDate", episode.closure_date)
    _text(element, "ReasonForClosure", episode.closure_reason)
    _text(element, "DateOfInitialCPC", episode.icpc_date)
    for assessment in episode.assessments:
        part = etree.SubElement(element, "Assessments")
        _text(part, "AssessmentActualStartDate", assessment.start)
        _text(part, "AssessmentInternalReviewDate", assessment.internal_review)
        _text(part, "AssessmentAuthorisationDate", assessment.authorised)
        if assessment.factors:
            factors = etree.SubElement(part, "FactorsIdentifiedAtAssessment")
            for code in assessment.factors:
                _text(factors, "AssessmentFactors", code)
    for plan in episode.cin_plans:
        part = etree.SubElement(element, "CINPlanDates")
        _text(part, "CINPlanStartDate", plan.start)
        _text(part, "CINPlanEndDate", plan.end)
    for s47 in episode.s47s:
        part = etree.SubElement(element, "Section47")
        _text(part, "S47ActualStartDate", s47.start)
        _text(part, "InitialCPCtarget", s47.icpc_target)
        _text(part, "DateOfInitialCPC", s47.icpc_date)
        _text(part, "ICPCnotRequired", s47.icpc_not_required)
    _text(element, "ReferralNFA", episode.referral_nfa)
    for plan in episode.cp_plans:
        part = etree.SubElement(element, "ChildProtectionPlans")
        _text(part, "CPPstartDate", plan.start)
        _text(part, "CPPendDate", plan.end)
        _text(part, "InitialCategoryOfAbuse", plan.initial_category)
        _text(part, "LatestCategoryOfAbuse", plan.latest_category)
        _text(part, "NumberOfPreviousCPP", plan.previous_plans)
        if plan.reviews:
            reviews = etree.SubElement(part, "Reviews")
            for day in plan.reviews:
                _text(reviews, "CPPreviewDate", day)


# --- reading -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Note:
    """What the reader did with something in the file. ``problem`` is True where a value could not be read
    at all (it is left empty); otherwise the value was read as ``message`` says."""

    line: int | None
    element: str
    message: str
    problem: bool = False


class UnreadableFile(ValueError):
    """The file is not a CIN census at all (not XML, or no ``Message/Children``)."""


YES = {"1", "true", "yes", "y"}
NO = {"0", "false", "no", "n"}
DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$")
YMD = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:T.*)?$")


class _Reader:
    def __init__(self, year: CollectionYear | None):
        self.year = year
        self.notes: list[Note] = []

    def note(self, element, message: str, *, problem: bool = False) -> None:
        self.notes.append(Note(element.sourceline, element.tag, message, problem))

    def value(self, parent, tag: str) -> str:
        element = parent.find(tag)
        if element is None:
            return ""
        return (element.text or "").strip()

    def code(self, parent, tag: str) -> str:
        element = parent.find(tag)
        if element is None:
            return ""
        text = (element.text or "").strip()
        if text != text.upper():
            self.note(element, f"read {text!r} as {text.upper()!r}")
        return text.upper()

    def flag(self, parent, tag: str) -> bool | None:
        element = parent.find(tag)
        if element is None:
            return None
        text = (element.text or "").strip()
        if text.lower() in YES:
            if text != "1":
                self.note(element, f"read {text!r} as 1 (yes)")
            return True
        if text.lower() in NO:
            if text != "0":
                self.note(element, f"read {text!r} as 0 (no)")
            return False
        self.note(element, f"{text!r} is not a yes or no (1 or 0): left empty", problem=True)
        return None

    def date(self, parent, tag: str) -> datetime.date | None:
        element = parent.find(tag)
        return self.date_of(element) if element is not None else None

    def date_of(self, element) -> datetime.date | None:
        text = (element.text or "").strip()
        if not text:
            return None
        try:
            if match := YMD.match(text):
                day = datetime.date(int(match[1]), int(match[2]), int(match[3]))
                if len(text) > 10:
                    self.note(element, f"read {text!r} as the date {day.isoformat()} (time dropped)")
                return day
            if match := DMY.match(text):
                year = int(match[3])
                if len(match[3]) == 2:
                    year = self._century(year)
                day = datetime.date(year, int(match[2]), int(match[1]))
                self.note(element, f"read {text!r} as {day.isoformat()} (day/month/year)")
                return day
        except ValueError:
            pass
        self.note(element, f"{text!r} is not a date: left empty", problem=True)
        return None

    def _century(self, two_digits: int) -> int:
        """A two-digit year in this century unless that would be after the collection year's end."""
        latest = self.year.end_year if self.year else datetime.date.today().year
        year = 2000 + two_digits
        return year if year <= latest else year - 100

    def number(self, parent, tag: str) -> int | None:
        element = parent.find(tag)
        if element is None:
            return None
        text = (element.text or "").strip()
        if text.isdigit():
            return int(text)
        self.note(element, f"{text!r} is not a whole number: left empty", problem=True)
        return None

    def codes(self, parent, path: str) -> list[str]:
        return [
            (element.text or "").strip().upper()
            for element in parent.findall(path)
            if (element.text or "").strip()
        ]


KNOWN = {
    "Child": {"ChildIdentifiers", "ChildCharacteristics", "CINdetails"},
    "CINdetails": {
        "CINreferralDate", "ReferralSource", "PrimaryNeedCode", "CINclosureDate", "ReasonForClosure",
        "DateOfInitialCPC", "Assessments", "CINPlanDates", "Section47", "ReferralNFA", "ChildProtectionPlans",
    },
}  # fmt: skip


def _strip_namespaces(root, reader: _Reader) -> None:
    namespaces = {
        element.tag.split("}")[0][1:]
        for element in root.iter()
        if isinstance(element.tag, str) and element.tag.startswith("{")
    }
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag.startswith("{"):
            element.tag = element.tag.split("}", 1)[1]
    for namespace in sorted(namespaces):
        reader.notes.append(
            Note(
                root.sourceline,
                "Message",
                f"the file declares the namespace {namespace!r}: read as if it had none",
            )
        )


def _note_stray_text(root, reader: _Reader) -> None:
    for element in root.iter():
        if not isinstance(element.tag, str) or len(element) == 0:
            continue
        for text in (element.text, *(child.tail for child in element)):
            if text and text.strip():
                reader.note(element, f"ignored the stray text {text.strip()[:40]!r} inside <{element.tag}>")


def read(data: bytes, *, year: CollectionYear | None = None) -> tuple[CinReturn, list[Note]]:
    """A CIN census file as the census's objects, with what was done to read it. ``year`` is the
    collection year when the file does not say (or to check that it says the same)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True, huge_tree=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        raise UnreadableFile(f"This is not a readable XML file: {error}") from error
    reader = _Reader(year)
    _strip_namespaces(root, reader)
    if root.tag != "Message" or root.find("Children") is None:
        raise UnreadableFile("This is not a CIN census: it has no Message/Children")
    _note_stray_text(root, reader)
    file_year = _file_year(root, reader)
    if year is None:
        if file_year is None:
            raise UnreadableFile("The file does not say its collection year: give it (--year)")
        year = file_year
    elif file_year is not None and file_year != year:
        raise UnreadableFile(f"The file is the {file_year} census, not {year}'s")
    reader.year = year
    header = Header(
        year=year,
        reference_date=reader.date(root, "Header/CollectionDetails/ReferenceDate"),
        lea=reader.value(root, "Header/Source/LEA"),
        software_code=reader.value(root, "Header/Source/SoftwareCode"),
        release=reader.value(root, "Header/Source/Release"),
        serial_no=reader.value(root, "Header/Source/SerialNo"),
    )
    children = [_read_child(element, reader) for element in root.iterfind("Children/Child")]
    return CinReturn(header=header, children=children), reader.notes


def _file_year(root, reader: _Reader) -> CollectionYear | None:
    text = reader.value(root, "Header/CollectionDetails/Year")
    if text.isdigit() and len(text) == 4:
        return CollectionYear(int(text))
    reference = reader.date(root, "Header/CollectionDetails/ReferenceDate")
    return CollectionYear.containing(reference) if reference else None


def _unknown(element, reader: _Reader) -> None:
    known = KNOWN.get(element.tag)
    if known is None:
        return
    for part in element:
        if isinstance(part.tag, str) and part.tag not in known:
            reader.note(part, f"ignored <{part.tag}>, which the CIN census does not have")


def _read_child(element, reader: _Reader) -> Child:
    _unknown(element, reader)
    ids = element.find("ChildIdentifiers")
    ids = ids if ids is not None else etree.Element("ChildIdentifiers")
    characteristics = element.find("ChildCharacteristics")
    characteristics = (
        characteristics if characteristics is not None else etree.Element("ChildCharacteristics")
    )
    sex_tag = _sex_tag(reader.year)
    other_tag = "GenderCurrent" if sex_tag == "Sex" else "Sex"
    sex = reader.code(ids, sex_tag)
    if not sex and ids.find(other_tag) is not None:
        reader.note(
            ids.find(other_tag),
            f"the {reader.year} census has {sex_tag}, not {other_tag}: left empty",
            problem=True,
        )
    return Child(
        la_child_id=reader.value(ids, "LAchildID"),
        upn=reader.code(ids, "UPN"),
        former_upn=reader.code(ids, "FormerUPN"),
        upn_unknown=reader.code(ids, "UPNunknown"),
        birth_date=reader.date(ids, "PersonBirthDate"),
        expected_birth_date=reader.date(ids, "ExpectedPersonBirthDate"),
        sex=sex,
        death_date=reader.date(ids, "PersonDeathDate"),
        ethnicity=reader.code(characteristics, "Ethnicity"),
        disabilities=reader.codes(characteristics, "Disabilities/Disability"),
        episodes=[_read_episode(part, reader) for part in element.iterfind("CINdetails")],
        source=Source(line=element.sourceline),
    )


def _read_episode(element, reader: _Reader) -> Episode:
    _unknown(element, reader)
    return Episode(
        referral_date=reader.date(element, "CINreferralDate"),
        referral_source=reader.code(element, "ReferralSource"),
        primary_need=reader.code(element, "PrimaryNeedCode"),
        closure_date=reader.date(element, "CINclosureDate"),
        closure_reason=reader.code(element, "ReasonForClosure"),
        icpc_date=reader.date(element, "DateOfInitialCPC"),
        referral_nfa=reader.flag(element, "ReferralNFA"),
        assessments=[
            Assessment(
                start=reader.date(part, "AssessmentActualStartDate"),
                internal_review=reader.date(part, "AssessmentInternalReviewDate"),
                authorised=reader.date(part, "AssessmentAuthorisationDate"),
                factors=reader.codes(part, "FactorsIdentifiedAtAssessment/AssessmentFactors"),
                source=Source(line=part.sourceline),
            )
            for part in element.iterfind("Assessments")
        ],
        cin_plans=[
            CinPlan(
                start=reader.date(part, "CINPlanStartDate"),
                end=reader.date(part, "CINPlanEndDate"),
                source=Source(line=part.sourceline),
            )
            for part in element.iterfind("CINPlanDates")
        ],
        s47s=[
            Section47(
                start=reader.date(part, "S47ActualStartDate"),
                icpc_target=reader.date(part, "InitialCPCtarget"),
                icpc_date=reader.date(part, "DateOfInitialCPC"),
                icpc_not_required=reader.flag(part, "ICPCnotRequired"),
                source=Source(line=part.sourceline),
            )
            for part in element.iterfind("Section47")
        ],
        cp_plans=[
            CPPlan(
                start=reader.date(part, "CPPstartDate"),
                end=reader.date(part, "CPPendDate"),
                initial_category=reader.code(part, "InitialCategoryOfAbuse"),
                latest_category=reader.code(part, "LatestCategoryOfAbuse"),
                previous_plans=reader.number(part, "NumberOfPreviousCPP"),
                reviews=[reader.date_of(review) for review in part.iterfind("Reviews/CPPreviewDate")],
                source=Source(line=part.sourceline),
            )
            for part in element.iterfind("ChildProtectionPlans")
        ],
        source=Source(line=element.sourceline),
    )
