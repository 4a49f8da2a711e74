"""The legal exposure register's pages: the register and its CSV and xlsx exports (``compliance.exports``).

Both name children, so both write an ``AccessEvent`` (a view, or an export) with how many breaches they
covered; anyone outside the register's roles is refused, and the refusal logged. What they show is scoped by
``compliance.register``.
"""

import calendar
import datetime
from dataclasses import dataclass
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from safeguard.audit.models import AccessAction
from safeguard.audit.policy import Decision
from safeguard.audit.services import access_event_record
from safeguard.audit.views import policy, refuse
from safeguard.compliance.exports import XLSX_CONTENT_TYPE, csv_lines, workbook
from safeguard.compliance.models import StatutoryDuty
from safeguard.compliance.register import (
    Summary,
    breaches,
    may_see_register,
    register_areas,
    summary,
)
from safeguard.ui.accounts import step_up
from safeguard.ui.charts import Chart, stacked_bars
from safeguard.ui.forms import id_from_query

ROWS_PER_PAGE = 50
MONTHS_OFFERED = 60  # the month filter offers the last five years
REFUSAL = "The legal exposure register is for managers and inspectors"
POLICY = (
    "team managers (their team's), heads of service (their area's), the director and inspectors (every "
    "team's): statutory duty breaches, open and past"
)


@dataclass(frozen=True)
class Filters:
    duty: str = ""
    area_id: int | None = None
    month: datetime.date | None = None  # the first day of the month the breaches fell due

    @classmethod
    def from_query(cls, query) -> "Filters":
        """The filters from the query string; anything malformed is ignored (the page shows the whole scope)."""
        return cls(
            duty=query.get("duty", "").strip()[:40],
            area_id=id_from_query(query, "area"),
            month=_month(query.get("month", "")),
        )

    @property
    def since(self) -> datetime.date | None:
        return self.month

    @property
    def until(self) -> datetime.date | None:
        if self.month is None:
            return None
        return self.month.replace(day=calendar.monthrange(self.month.year, self.month.month)[1])

    def query(self) -> dict[str, str]:
        chosen = {"duty": self.duty, "area": str(self.area_id or ""), "month": _month_key(self.month)}
        return {name: value for name, value in chosen.items() if value}

    def describe(self) -> str:
        return " ".join(f"{name}={value}" for name, value in self.query().items())


def _month(raw: str) -> datetime.date | None:
    try:
        return datetime.datetime.strptime(raw.strip(), "%Y-%m").date()
    except ValueError:
        return None


def _month_key(month: datetime.date | None) -> str:
    return month.strftime("%Y-%m") if month else ""


def _recent_months(today: datetime.date) -> list[datetime.date]:
    months, year, month = [], today.year, today.month
    for _ in range(MONTHS_OFFERED):
        months.append(datetime.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months


def _scoped(request, today: datetime.date, filters: Filters):
    return breaches(
        request.user,
        today=today,
        since=filters.since,
        until=filters.until,
        duty=filters.duty or None,
        area_id=filters.area_id,
    )


def _logged(request, action: AccessAction, subject: str, count: int) -> None:
    access_event_record(
        request=request,
        action=action,
        decision=Decision(True, "legal exposure register"),
        subject=subject,
        result_count=count,
    )


@policy(POLICY)
def register(request):
    if not may_see_register(request.user):
        return refuse(request, REFUSAL, subject="legal exposure register")
    today = timezone.localdate()
    filters = Filters.from_query(request.GET)
    rows = _scoped(request, today, filters)
    figures = summary(rows, today=today)
    paginator = Paginator(rows, ROWS_PER_PAGE)
    paginator.count = figures.total  # already counted: spare the paginator its own count query
    page = paginator.get_page(request.GET.get("page"))
    _logged(
        request,
        AccessAction.VIEW,
        f"legal exposure register page={page.number} {filters.describe()}",
        figures.total,
    )
    query = urlencode(filters.query())
    current = filters.query()
    context = {
        "today": today,
        "filters": filters,
        "figures": figures,
        "page": page,
        "rows": [(row, row.days_overdue(today)) for row in page.object_list],
        "page_base": "?" + (query + "&" if query else "") + "page=",
        "csv_query": query,
        "duties": list(StatutoryDuty.objects.order_by("name").values_list("code", "name")),
        "areas": list(register_areas(request.user).values_list("pk", "name")),
        "months": [(_month_key(month), month) for month in _recent_months(today)],
        "duty_items": [(duty, _link(current, duty=duty["code"])) for duty in figures.by_duty],
        "area_items": [
            (area["name"], _link(current, area=area["id"]) if area["id"] else "", area["count"])
            for area in figures.by_area
        ],
        "team_items": [
            (f"{team['name']} ({team['area']})" if team["area"] else team["name"], "", team["count"])
            for team in figures.by_team
        ],
        "month_items": [
            (item["month"].strftime("%B %Y"), _link(current, month=_month_key(item["month"])), item)
            for item in figures.by_month
        ],
        "trend": trend_chart(figures),
    }
    return render(request, "compliance/register.html", context)


def trend_chart(figures: Summary) -> Chart:
    """Breaches by the month they fell due, each month's bar split into those closed late and those still
    open; the months between the first and the last with none are drawn as empty bars."""
    months = []
    if figures.by_month:
        counts = {item["month"]: item for item in figures.by_month}
        month, last = figures.by_month[0]["month"], figures.by_month[-1]["month"]
        while month <= last:
            item = counts.get(month, {"closed": 0, "still_open": 0})
            months.append((month.strftime("%b %Y"), (item["closed"], item["still_open"])))
            month = (month + datetime.timedelta(days=32)).replace(day=1)
    peak = max(figures.by_month, key=lambda item: item["count"], default=None)
    return stacked_bars(
        months,
        series=["Met or ended late", "Still open"],
        summary=(
            f"{figures.total:,} breaches over {len(months)} months; the most, {peak['count']:,}, "
            f"fell due in {peak['month']:%B %Y}."
            if peak
            else "No breaches."
        ),
        label_every=max(1, len(months) // 8),
    )


def _link(current: dict[str, str], **chosen) -> str:
    """The register's query string with one filter chosen (and the others kept)."""
    return "?" + urlencode({**current, **{name: str(value) for name, value in chosen.items()}})


@policy(POLICY + "; as CSV, logged as an export")
def register_csv(request):
    if not may_see_register(request.user):
        return refuse(request, REFUSAL, subject="legal exposure register export", action=AccessAction.EXPORT)
    step_up(request)
    today = timezone.localdate()
    filters = Filters.from_query(request.GET)
    rows = _scoped(request, today, filters)
    _logged(request, AccessAction.EXPORT, f"legal exposure register CSV {filters.describe()}", rows.count())
    lines = csv_lines(rows.iterator(chunk_size=2000), today)
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="legal-exposure-{today.isoformat()}.csv"'
    return response


@policy(POLICY + "; as an xlsx workbook with its summaries, logged as an export")
def register_xlsx(request):
    if not may_see_register(request.user):
        return refuse(request, REFUSAL, subject="legal exposure register export", action=AccessAction.EXPORT)
    step_up(request)
    today = timezone.localdate()
    filters = Filters.from_query(request.GET)
    rows = _scoped(request, today, filters)
    figures = summary(rows, today=today)
    _logged(request, AccessAction.EXPORT, f"legal exposure register xlsx {filters.describe()}", figures.total)
    content = workbook(
        rows.iterator(chunk_size=2000),
        figures,
        today=today,
        exported_by=request.user.get_full_name() or request.user.get_username(),
        filters=filters.describe(),
    )
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="legal-exposure-{today.isoformat()}.xlsx"'
    return response
