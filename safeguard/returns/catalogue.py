"""The statutory returns Safeguard makes, each with how it is built, validated and downloaded, so that the
pages and the command line treat every return the same way."""

import datetime
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from safeguard.core.years import CollectionYear
from safeguard.returns.annex_a import build as annex_a_build
from safeguard.returns.annex_a import lists as annex_a_lists
from safeguard.returns.annex_a import workbook as annex_a_workbook
from safeguard.returns.cin_census import build as cin_build
from safeguard.returns.cin_census import files as cin_files
from safeguard.returns.cin_census import validate as cin_validate
from safeguard.returns.rules import Report
from safeguard.returns.ssda903 import build as ssda903_build
from safeguard.returns.ssda903 import files as ssda903_files
from safeguard.returns.ssda903 import validate as ssda903_validate


@dataclass(frozen=True)
class Download:
    content: bytes
    content_type: str
    filename: str


@dataclass(frozen=True)
class Collection:
    code: str  # as in rules.csv and QueryExplanation.collection
    slug: str  # in the pages' addresses
    title: str
    about: str  # who is in it, in a sentence
    download_label: str  # what the download button gives
    build: Callable[[CollectionYear], Any]
    validate: Callable[[Any], Report]
    download: Callable[[Any], Download]


def _cin_census_file(the_return) -> Download:
    return Download(
        cin_files.to_xml(the_return), "application/xml", f"cin-census-{the_return.year.label}.xml"
    )


def _ssda903_files(the_return) -> Download:
    """The year's tables as CSV files, in one zip."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for table, text in ssda903_files.to_csv(the_return).items():
            archive.writestr(ssda903_files.FILE_NAMES[table], text)
    return Download(buffer.getvalue(), "application/zip", f"ssda903-{the_return.year.label}.zip")


CIN_CENSUS = Collection(
    code=cin_validate.COLLECTION,
    slug="cin-census",
    title="CIN census",
    about="Every child in need episode open at any time from 1 April to 31 March (Children Act 1989 section 83).",
    download_label="Download the XML",
    build=cin_build.build,
    validate=cin_validate.validate,
    download=_cin_census_file,
)
SSDA903 = Collection(
    code=ssda903_validate.COLLECTION,
    slug="ssda903",
    title="SSDA903",
    about="Children looked after at any time from 1 April to 31 March, and care leavers in the year of their "
    "17th to 21st birthday (Children Act 1989 section 83).",
    download_label="Download the CSV files (zip)",
    build=ssda903_build.build,
    validate=ssda903_validate.validate,
    download=_ssda903_files,
)
COLLECTIONS = {collection.slug: collection for collection in (CIN_CENSUS, SSDA903)}


@dataclass(frozen=True)
class AsOfReturn:
    """A return made as things stood on a chosen date, rather than for a collection year: Ofsted's Annex A,
    asked for at the start of an inspection. It has no DfE validation rules, so no report: its page lists
    what each list holds."""

    slug: str
    title: str
    about: str
    download_label: str
    lists: tuple
    build: Callable[[datetime.date], Any]
    download: Callable[[Any], Download]


def _annex_a_workbook(annex) -> Download:
    return Download(
        annex_a_workbook.write(annex),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        f"annex-a-{annex.as_of.isoformat()}.xlsx",
    )


ANNEX_A = AsOfReturn(
    slug="annex-a",
    title="Ofsted Annex A",
    about="The child-level lists Ofsted asks for at the start of an inspection of children's services (ILACS), "
    "lists 1 to 11, as things stood on the date you choose.",
    download_label="Download the workbook (.xlsx)",
    lists=annex_a_lists.LISTS,
    build=annex_a_build.build,
    download=_annex_a_workbook,
)
AS_OF_RETURNS = {ANNEX_A.slug: ANNEX_A}
