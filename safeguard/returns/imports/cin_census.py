"""A council's CIN census file becomes records: the inverse of ``cin_census.build`` (ADR 12).

The file is read by the tolerant reader (``cin_census.files.read``), which notes every oddity; the return
read is validated by the DfE rules of its year (``cin_census.validate``). A child is rejected, with the
reason, when the reader could not read one of their values, when a DfE error (not a query) is about them,
or when they cannot be matched safely (``common.find_children``). If any child is rejected, nothing is
imported.

Each child becomes, or is matched to, a ``people.Child``; each ``CINdetails`` a ``CinEpisode``; each
assessment an ``Assessment`` (authorised if the census has its authorisation date, with its factors);
each CIN plan a ``CinPlan``; each section 47 a strategy discussion and its ``S47Enquiry``, with the initial
conference's target as the ``initial_cp_conference`` deadline and the conference itself; each child
protection plan a ``CPPlan`` started by its initial conference, with its review conferences. A record
already held (an episode with the same referral date, an assessment or plan with the same start date) is
matched, not duplicated, so a second import of the same facts, or next year's census, adds only what is new.

The records are written by this module directly, not by the casework services: those enforce live
practice (who may record, a manager's authorisation, no date in the future, the order a worker does
things), which history imported after the fact cannot follow. The DfE rules, run on what was read, and the
database's own constraints are the checks instead (ADR 12).
"""

import datetime
from collections.abc import Callable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from safeguard.casework.models import (
    Assessment as AssessmentRecord,
)
from safeguard.casework.models import (
    AssessmentStatus,
    ChildProtectionConference,
    CinEpisode,
    ConferenceDecision,
    ConferenceKind,
    S47Outcome,
    StrategyDiscussion,
    StrategyOutcome,
)
from safeguard.casework.models import (
    CinPlan as CinPlanRecord,
)
from safeguard.casework.models import (
    CPPlan as CPPlanRecord,
)
from safeguard.casework.models import (
    S47Enquiry as S47Record,
)
from safeguard.compliance.models import Deadline, DeadlineStatus
from safeguard.core.years import CollectionYear
from safeguard.organisation.models import Team, TeamKind
from safeguard.people.models import Child as ChildRecord
from safeguard.people.models import ChildDisability, Sex
from safeguard.people.services import child_create
from safeguard.returns.cin_census import files
from safeguard.returns.cin_census.model import Child, CinReturn, Episode
from safeguard.returns.cin_census.validate import validate
from safeguard.returns.imports.common import (
    ChildOutcome,
    Identity,
    ImportReport,
    LocalChildIds,
    Note,
    Rollback,
    Unreadable,
    already_imported,
    batch_finish,
    file_hash,
    find_children,
    first_line,
    first_team,
    normalise_id,
    possible_duplicates,
)
from safeguard.returns.models import ImportBatch, ImportedChild, ImportedRecord
from safeguard.returns.policies import may_import

COLLECTION = "cin_census"
TITLE = "CIN census"
# GenderCurrent before 2024-25: 1 male, 2 female, 0 not known, 9 not specified (reference data).
FROM_GENDER_CURRENT = {"1": Sex.MALE, "2": Sex.FEMALE, "0": Sex.UNKNOWN, "9": Sex.UNKNOWN}
NOT_RECORDED = "Not recorded: imported from the council's CIN census"
ICPC_DUTY = "initial_cp_conference"

ASSUMPTIONS = [
    "Children have no names in the census: each new child is named \u201cUnnamed (CIN census LAchildID ...)\u201d "
    "until a worker records their name.",
    "The census does not say which team held an episode: every new episode is recorded against the team chosen "
    "for the import.",
    "A strategy discussion is recorded on each enquiry's start date (the census's S47ActualStartDate); who took "
    "part and the concerns are not in the census.",
    "An enquiry that found no conference necessary (ICPCnotRequired) is recorded as concluded on its start date; "
    "one with a conference as concluded on the conference's date.",
    "A child protection plan whose enquiry is not in the file is given an enquiry and initial conference on its "
    "start date, since every plan starts at a conference.",
    "AssessmentInternalReviewDate, NumberOfPreviousCPP (Safeguard counts the plans it holds) and an episode's "
    "own DateOfInitialCPC are not kept.",
]


def sex_of(code: str, year: CollectionYear) -> str:
    if year.end_year >= 2025:
        return code if code in Sex.values else Sex.UNKNOWN
    return FROM_GENDER_CURRENT.get(code, Sex.UNKNOWN)


def default_team() -> Team | None:
    """The team new episodes are recorded against when none is chosen: the first assessment team."""
    return first_team(TeamKind.ASSESSMENT)


def import_cin_census(
    *,
    data: bytes,
    file_name: str,
    imported_by,
    year: CollectionYear | None = None,
    team: Team | None = None,
    dry_run: bool = False,
    progress: Callable[[str], None] | None = None,
) -> ImportReport:
    """Import a council's CIN census file, all or nothing, or (``dry_run``) say what importing it would do.

    Raises ``PermissionDenied`` for a user who may not import, and ``Unreadable`` for a file that is not a
    CIN census (nothing is checked). Otherwise returns the report: ``report.refused`` when nothing was
    imported because of what it lists, ``report.imported`` when the records were written."""
    if not may_import(imported_by):
        raise PermissionDenied("Only performance analysts and the director import returns")
    say = progress or (lambda message: None)
    try:
        the_return, reader_notes = files.read(data, year=year)
    except files.UnreadableFile as error:
        raise Unreadable(str(error)) from None
    team = team or default_team()
    if team is None:
        raise Unreadable("Safeguard has no team yet to record the episodes against: set up the teams first")
    report = ImportReport(
        collection=COLLECTION,
        title=TITLE,
        year=the_return.year,
        file_name=file_name,
        sha256=file_hash(data),
        dry_run=dry_run,
        notes=[Note(file_name, n.line, n.element, n.message, n.problem) for n in reader_notes],
        assumptions=list(ASSUMPTIONS)
        + [f"Episodes are recorded against the team {team.name} ({team.area.name})."],
    )
    say(f"Read {len(the_return.children):,} children from {file_name}")
    if reason := already_imported(COLLECTION, report.sha256):
        report.problems.append(reason)
        return report

    outcomes = [
        ChildOutcome(la_child_id=child.la_child_id, line=child.source.line if child.source else None)
        for child in the_return.children
    ]
    report.children = outcomes
    _reject_unreadable(report, the_return, outcomes, reader_notes)
    say(f"Checking against the DfE rules of {the_return.year}")
    _reject_errors(report, the_return, outcomes)
    _reject_bad_ids(the_return, outcomes)
    identities = [
        Identity(
            la_child_id=child.la_child_id,
            upn=child.upn,
            birth_date=child.birth_date,
            expected_birth_date=child.expected_birth_date,
        )
        for child in the_return.children
    ]
    say("Finding the children already held")
    matched = find_children(outcomes, identities)
    possible_duplicates(
        outcomes, identities, [sex_of(child.sex, the_return.year) for child in the_return.children]
    )
    if report.refused:
        return report

    say("Writing the records" + (" (dry run: rolled back after)" if dry_run else ""))
    try:
        with transaction.atomic():
            _Writer(
                report, the_return, outcomes, matched, imported_by=imported_by, team=team, say=say
            ).write()
            if report.refused or dry_run:
                raise Rollback
    except Rollback:
        report.batch = None if report.refused or dry_run else report.batch
        return report
    report.imported = True
    return report


def _line_owner(outcomes: list[ChildOutcome]):
    """A function from a line of the file to the child whose element holds it."""
    starts = sorted((outcome.line or 0, index) for index, outcome in enumerate(outcomes))

    def owner(line: int | None) -> ChildOutcome | None:
        if line is None:
            return None
        chosen = None
        for start, index in starts:
            if start <= line:
                chosen = outcomes[index]
            else:
                break
        return chosen

    return owner


def _reject_unreadable(report: ImportReport, the_return: CinReturn, outcomes, reader_notes) -> None:
    owner = _line_owner(outcomes)
    for note in reader_notes:
        if not note.problem:
            continue
        outcome = owner(note.line)
        if outcome is None:
            report.problems.append(f"Line {note.line}: {note.message}")
        else:
            outcome.reject(f"line {note.line}, <{note.element}>: {note.message}")


def _reject_errors(report: ImportReport, the_return: CinReturn, outcomes) -> None:
    """A DfE error rejects the child it is about; a query is counted, as the DfE accepts it explained."""
    result = validate(the_return)
    owner = _line_owner(outcomes)
    by_id: dict[str, list[ChildOutcome]] = {}
    for outcome in outcomes:
        by_id.setdefault(outcome.la_child_id, []).append(outcome)
    for finding in result.findings:
        if finding.rule.is_query:
            report.queries[finding.rule.code] += 1
            continue
        line = finding.source.line if finding.source else None
        at = owner(line) if line else None
        targets = [at] if at is not None else by_id.get(finding.la_child_id, [])
        message = f"DfE rule {finding.rule.code}: {finding.rule.message}"
        if finding.fields:
            message += f" ({', '.join(finding.fields)}"
            message += f"; line {line})" if line else ")"
        if finding.detail:
            message += f": {finding.detail}"
        if not targets:
            report.problems.append(message)
        for target in targets:
            target.reject(message)


def _reject_bad_ids(the_return: CinReturn, outcomes) -> None:
    seen: dict[str, int | None] = {}
    for child, outcome in zip(the_return.children, outcomes, strict=True):
        key = normalise_id(child.la_child_id)
        if not key:
            if not outcome.rejected:
                outcome.reject("The child has no LAchildID: every child in the census needs one")
            continue
        if key in seen and not outcome.rejected:
            outcome.reject(f"The LAchildID {key} is also the child's on line {seen[key]}: one child, one ID")
        seen.setdefault(key, outcome.line)


class _Writer:
    """Writes the records of a checked return, inside the import's transaction, each child in a savepoint so
    that a row the database refuses is reported against its child."""

    def __init__(self, report, the_return: CinReturn, outcomes, matched, *, imported_by, team, say):
        self.report = report
        self.year = the_return.year
        self.the_return = the_return
        self.outcomes = outcomes
        self.matched = matched
        self.user = imported_by
        self.team = team
        self.area = team.area
        self.say = say
        self.records: list[ImportedRecord] = []
        self.current_line: int | None = None

    def write(self) -> None:
        report = self.report
        self.batch = ImportBatch.objects.create(
            collection=COLLECTION,
            year=self.year.end_year,
            file_name=report.file_name[:300],
            sha256=report.sha256,
            created_by=self.user,
            modified_by=self.user,
        )
        report.batch = self.batch
        self.local_ids = LocalChildIds(normalise_id(c.la_child_id) for c in self.the_return.children)
        held = self._held_episodes()
        total = len(self.outcomes)
        for index, (child, outcome) in enumerate(zip(self.the_return.children, self.outcomes, strict=True)):
            if index and index % 1000 == 0:
                self.say(f"  {index:,} of {total:,} children written")
            try:
                with transaction.atomic():
                    record = self.matched.get(index) or self._new_child(child, outcome)
                    self._link(child, record)
                    if index in self.matched:
                        self._compare(child, record, outcome)
                    for episode in child.episodes:
                        self._episode(record, episode, outcome, held.get(record.pk, {}))
            except (IntegrityError, ValidationError) as error:
                outcome.reject(
                    "The records could not be written as the file has them (" + first_line(error) + "): "
                    "check this child's dates against the DfE rules on open episodes and plans"
                )
        if report.refused:
            return
        batch_finish(
            batch=self.batch,
            report=report,
            records=self.records,
            user=self.user,
            collection=COLLECTION,
            year=self.year,
        )

    # -- children ---------------------------------------------------------------------------------------

    def _new_child(self, child: Child, outcome: ChildOutcome) -> ChildRecord:
        key = normalise_id(child.la_child_id)
        own_id = self.local_ids.assign(key)
        if own_id != key:
            outcome.remarks.append(
                f"The LAchildID {key} cannot be a Safeguard local child ID: recorded as {own_id}, and the file's "
                "ID kept so that later imports find the child"
            )
        record = child_create(
            created_by=self.user,
            first_name="Unnamed",
            last_name=f"(CIN census LAchildID {key})",
            date_of_birth=child.birth_date,
            expected_date_of_birth=child.expected_birth_date,
            sex=sex_of(child.sex, self.year),
            ethnicity=child.ethnicity,
            la_child_id=own_id,
        )
        updates = {"upn": child.upn, "former_upn": child.former_upn, "upn_unknown_reason": child.upn_unknown}
        if any(updates.values()):
            ChildRecord.objects.filter(pk=record.pk).update(**updates)
        if child.death_date:
            type(record.person).objects.filter(pk=record.pk).update(date_of_death=child.death_date)
        for code in dict.fromkeys(child.disabilities):
            ChildDisability.objects.create(child=record, code=code)
        outcome.child_pk = record.pk
        outcome.created["children"] += 1
        self._traced(record, child.source)
        return record

    def _link(self, child: Child, record: ChildRecord) -> None:
        key = normalise_id(child.la_child_id)
        if not ImportedChild.objects.filter(la_child_id=key).exists():
            ImportedChild.objects.create(la_child_id=key, child=record, batch=self.batch)

    def _compare(self, child: Child, record: ChildRecord, outcome: ChildOutcome) -> None:
        """A matched child's own details are not overwritten: where the census differs, say so."""
        outcome.matched["children"] += 1
        person = record.person
        differences = [
            ("sex", sex_of(child.sex, self.year), person.sex),
            ("ethnicity", child.ethnicity, person.ethnicity),
            ("UPN", child.upn, record.upn),
        ]
        for what, theirs, ours in differences:
            if theirs and ours and theirs != ours:
                outcome.remarks.append(f"the census has {what} {theirs}, the record {ours}: left as recorded")

    # -- episodes and what hangs from them ---------------------------------------------------------------

    def _held_episodes(self) -> dict[int, dict[datetime.date, CinEpisode]]:
        held: dict[int, dict[datetime.date, CinEpisode]] = {}
        children = [child.pk for child in self.matched.values()]
        for episode in CinEpisode.objects.filter(child_id__in=children):
            held.setdefault(episode.child_id, {})[episode.referral_date] = episode
        return held

    def _traced(self, record, source) -> None:
        self.records.append(
            ImportedRecord(
                batch=self.batch,
                model=record._meta.label_lower,
                object_id=record.pk,
                line=source.line if source else None,
            )
        )

    def _made(self, outcome: ChildOutcome, kind: str, record, source) -> None:
        outcome.created[kind] += 1
        self._traced(record, source)

    def _episode(self, child: ChildRecord, episode: Episode, outcome: ChildOutcome, held: dict) -> None:
        stamp = {"created_by": self.user, "modified_by": self.user}
        record = held.get(episode.referral_date)
        if record is not None:
            outcome.matched["CIN episodes"] += 1
            if (record.closure_date, record.closure_reason) != (episode.closure_date, episode.closure_reason):
                outcome.remarks.append(
                    f"the episode referred {episode.referral_date:%d/%m/%Y} is recorded as "
                    f"{'closed ' + format(record.closure_date, '%d/%m/%Y') if record.closure_date else 'open'}, "
                    f"the census has it {'closed ' + format(episode.closure_date, '%d/%m/%Y') if episode.closure_date else 'open'}: "
                    "left as recorded"
                )
        else:
            record = CinEpisode.objects.create(
                child=child,
                referral_date=episode.referral_date,
                referral_source=episode.referral_source,
                primary_need=episode.primary_need,
                team=self.team,
                area=self.area,
                closure_date=episode.closure_date,
                closure_reason=episode.closure_reason if episode.closure_date else "",
                referral_nfa=bool(episode.referral_nfa),
                **stamp,
            )
            self._made(outcome, "CIN episodes", record, episode.source)

        assessments = {a.start_date: a for a in record.assessments.all()} if held else {}
        for item in episode.assessments:
            if item.start in assessments:
                outcome.matched["assessments"] += 1
                continue
            authorised = item.authorised
            made = AssessmentRecord.objects.create(
                episode=record,
                child=child,
                start_date=item.start,
                factors=list(item.factors) if authorised else [],
                status=AssessmentStatus.AUTHORISED if authorised else AssessmentStatus.IN_PROGRESS,
                submitted_on=authorised,
                authorised_on=authorised,
                **stamp,
            )
            self._made(outcome, "assessments", made, item.source)

        plans = {p.start_date: p for p in record.cin_plans.all()} if held else {}
        for item in episode.cin_plans:
            if item.start in plans:
                outcome.matched["CIN plans"] += 1
                continue
            made = CinPlanRecord.objects.create(
                episode=record, child=child, start_date=item.start, end_date=item.end, **stamp
            )
            self._made(outcome, "CIN plans", made, item.source)

        enquiries = {e.start_date: e for e in record.s47_enquiries.all()} if held else {}
        conferences: dict[datetime.date, ChildProtectionConference] = {}
        if held:
            for conference in ChildProtectionConference.objects.filter(
                episode=record, kind=ConferenceKind.INITIAL
            ):
                conferences[conference.held_on] = conference
        plan_starts = {plan.start: plan for plan in episode.cp_plans}
        for item in episode.s47s:
            if item.start in enquiries:
                outcome.matched["section 47 enquiries"] += 1
                continue
            plan = plan_starts.get(item.icpc_date) if item.icpc_date else None
            made = self._enquiry(
                outcome,
                record,
                child,
                start=item.start,
                target=item.icpc_target,
                icpc=item.icpc_date,
                not_required=bool(item.icpc_not_required),
                category=plan.initial_category if plan else "",
                source=item.source,
            )
            if made is not None:
                conferences[made.held_on] = made

        held_plans = {p.start_date: p for p in record.cp_plans.all()} if held else {}
        for item in episode.cp_plans:
            if item.start in held_plans:
                outcome.matched["child protection plans"] += 1
                plan = held_plans[item.start]
                reviews = set(plan.review_conferences.values_list("held_on", flat=True))
            else:
                conference = conferences.get(item.start)
                if conference is None or conference.decision != ConferenceDecision.PLAN:
                    conference = self._enquiry(
                        outcome,
                        record,
                        child,
                        start=item.start,
                        target=None,
                        icpc=item.start,
                        not_required=False,
                        category=item.initial_category,
                        source=item.source,
                    )
                    if self.year.contains(item.start):
                        outcome.remarks.append(
                            f"the plan started {item.start:%d/%m/%Y} has no section 47 enquiry in the file: one "
                            "is recorded with its initial conference that day"
                        )
                plan = CPPlanRecord.objects.create(
                    episode=record,
                    child=child,
                    initial_conference=conference,
                    start_date=item.start,
                    end_date=item.end,
                    initial_category=item.initial_category,
                    latest_category=item.latest_category or item.initial_category,
                    **stamp,
                )
                self._made(outcome, "child protection plans", plan, item.source)
                reviews = set()
            for day in item.reviews:
                if day is None or day in reviews:
                    if day is not None:
                        outcome.matched["review conferences"] += 1
                    continue
                made = ChildProtectionConference.objects.create(
                    episode=record,
                    child=child,
                    kind=ConferenceKind.REVIEW,
                    plan=plan,
                    held_on=day,
                    decision=ConferenceDecision.END if day == item.end else ConferenceDecision.CONTINUE,
                    category=item.latest_category or item.initial_category,
                    summary=NOT_RECORDED,
                    created_by=self.user,
                )
                self._made(outcome, "review conferences", made, item.source)

    def _enquiry(
        self, outcome, episode, child, *, start, target, icpc, not_required, category, source
    ) -> ChildProtectionConference | None:
        """A strategy discussion, its enquiry, the conference's deadline and the conference if held."""
        discussion = StrategyDiscussion.objects.create(
            episode=episode,
            child=child,
            held_on=start,
            participants=NOT_RECORDED,
            concerns=NOT_RECORDED,
            outcome=StrategyOutcome.SECTION_47,
            created_by=self.user,
        )
        self._made(outcome, "strategy discussions", discussion, source)
        if icpc:
            result, concluded = S47Outcome.CONFERENCE, icpc
        elif not_required:
            result, concluded = S47Outcome.NO_CONFERENCE, start
        else:
            result, concluded = "", None
        enquiry = S47Record.objects.create(
            episode=episode,
            child=child,
            strategy_discussion=discussion,
            start_date=start,
            outcome=result,
            concluded_on=concluded,
            findings=NOT_RECORDED if concluded else "",
            created_by=self.user,
            modified_by=self.user,
        )
        self._made(outcome, "section 47 enquiries", enquiry, source)
        if target:
            if icpc:
                status, closed_on, closed_by = DeadlineStatus.MET, icpc, "icpc.held"
            elif not_required:
                status, closed_on, closed_by = DeadlineStatus.CANCELLED, start, "s47.no_conference"
            else:
                status, closed_on, closed_by = DeadlineStatus.OPEN, None, ""
            deadline = Deadline.objects.create(
                duty_id=ICPC_DUTY,
                child=child,
                scope_type=S47Record._meta.label_lower,
                scope_id=enquiry.pk,
                started_by="s47.started",
                starts_on=start,
                due_on=target,
                status=status,
                closed_on=closed_on,
                closed_by=closed_by,
                team=self.team,
                area=self.area,
            )
            self._made(outcome, "deadlines", deadline, source)
        if not icpc:
            return None
        conference = ChildProtectionConference.objects.create(
            episode=episode,
            child=child,
            kind=ConferenceKind.INITIAL,
            s47=enquiry,
            held_on=icpc,
            decision=ConferenceDecision.PLAN if category else ConferenceDecision.NO_PLAN,
            category=category,
            summary=NOT_RECORDED,
            created_by=self.user,
        )
        self._made(outcome, "initial conferences", conference, source)
        return conference
