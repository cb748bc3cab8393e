"""Reconciliation: merge the casualty mentions that report one real-world event.

Pure functions over Polars frames (no Dagster, no database), so the same logic runs in
the pipeline, in a notebook and in tests.

Grouping
--------
Every mention gets a *site*: the city (GeoNames id), the region (country + admin1) or
the country for a country-level mention; a mention with no place at all can only be
grouped inside its own story. Mentions are compared only inside one site (hence one
country) and one stretch of dates, by sorting: no pair of mentions is ever compared
outside its site and date window, so the work grows as n log n with the corpus.

* Dated, day-precision mentions at one site and of one kind of attack form *runs* of
  consecutive days. A run of one or two days is one event (an overnight attack is dated
  by some reports on the evening it began and by others on the next day). A run of three
  or more days is a series of nightly raids: each day stays its own event, so raids on
  consecutive nights are never chained into one.
* Stories grouped on one site, day run and kind stay one event only when their figures
  tie them: a precise total both state (a single death only when two publishers report
  it; at a town, one story's count of a group of victims where it states no total,
  'five teens were hospitalized', ties it to the same count of the other), a total another publisher's later report raises, or a publisher's same-day update
  of its own report. One publisher's reports written at one time, or of two days, are never
  tied (a register's summaries of one day's attacks, or of one town on consecutive days,
  are separate incidents). Two shootings in one city on one night share place, day and
  kind and nothing else.
* Day events at one town two to 14 days apart whose reports come from other publishers and
  state the same killed and injured totals (two people or more; three or more when one
  publisher reported both days) are one incident: a follow-up dated by its own news restates
  the first report's toll. The day most documents report dates it.
* A story that dates its incident only by its month ('a dice game in November', in a verdict
  months later) joins the one day event at its town in that month, of a compatible kind, that
  states the totals it states; a story recalling the month's incident beside news of its own
  does so only when that news restates the toll. Its month leaves the event's dates alone.
* A story dated only to a week (no day named: the week up to its publication) joins the
  one day event at its place, of a compatible kind, whose day falls in that week (a
  follow-up on Saturday's shooting); its week then leaves the event's dates alone. A story
  fitting several such events stays apart and is listed in event_conflicts
  (fits_several_events). One fitting none groups as a report of its publication day, the
  most likely day of its week, by the day rules; a week the text itself names ('this week')
  groups by the period rules.
* Mentions covering a period (week, month, period, or a span of more than two days)
  group with period mentions of the same site and kind whose periods overlap, but for one
  publisher's reports of two periods (an agency's weekly digests), each of which keeps an
  event of its own. They never merge with day events: a period's cumulative toll and a
  day's toll are different quantities, and mixing them would make the day's figure the
  period's 'low'.
* Kinds of attack are compared by family (aerial_or_artillery, bombing, shooting,
  stabbing, crackdown): 'ballistic missile strike' and 'missile and drone attack' are
  one family, whatever words each report uses. A mention whose kind is unstated or not
  recognised adopts the family of the mentions on its day at its site (or the day before
  or after) when exactly one family is present there.
* A region-level mention joins the one city event of that region whose dates overlap
  its own, whose kind is compatible and which holds no report of its own publication; when there is none or more than one it groups
  with the other region-level mentions by the rules above. A state (of a country of states)
  is too wide for that by place alone: its story must also state the event's killed and
  injured totals (a state story of another town's shooting is no report of the one event of
  the state that day).
* An undated mention (its story had no date) joins the single event with its place
  (city; for a region any event in the region; for a country the country-level events)
  and a compatible kind. When there is no such event, or several, the story's undated
  mentions of that place form their own event with null dates.
* Historical mentions (an earlier event cited for comparison) group only with other
  historical mentions, so a date slip cannot fold them into the event being reported (a
  month's incident recalled by a story whose news restates its toll aside, above).
* Stories that share rare names (casualties.stages.reconciled.NAME_TIES_SQL: a victim's, a suspect's, a
  street's) report one incident wherever each places and dates it: their main events merge.
  A tie by names alone holds at any distance; a tie by one rare name and a day both stories
  report holds only when their main events lie on that day or the next (or one of them is
  undated); so does a tie of a story that names no town to the one town's report of its toll
  of several people on its day (casualties.stages.reconciled.MIN_UNPLACED_TOLL; of
  MIN_UNNAMED_TOLL people, with no name in common). A story that states no figure (it has
  no mention) but shares names with one that does is a report of that
  story's main event (of several, the one it shares most independent names with): its
  document is one of the event's documents. Its day, for a tie by one rare name and a day,
  is any of the few days up to its publication (QUIET_REPORT_DAYS): it is news of them.
  An event whose reports, tied by names or a toll, name days more than a night apart is
  dated by the day most of its documents name (ties: the first).
* An article that states no figure and shares no rare name is a report of the event whose
  town its headline or dateline names (casualties.stages.reconciled.QUIET_PLACE_TIES_SQL),
  when that is the only event of a compatible kind reported there in the weeks up to its
  publication and it falls in the last few days of them, or in any of those weeks at a small
  town, whose name few articles write (a charge weeks after its one shooting).

`event_id` is the first 16 hex digits of the SHA-256 of the event's grouping key
(historical flag, site, kind family, day/period, first date, and for day events the first
story of its tied stories; the story instead of the date for an undated event). Each event
says in `merged_on` which clues put its documents together. Re-running on the same mentions, in any order, gives the
same ids; adding a mention changes only the event it joins.

Figures
-------
Per (event, casualty_type, victim_group), from the non-claim mentions only (claims go to
`event_claims` and never enter a figure):

* A mention states a lowest count `coalesce(value_low, value)`, a highest count
  `coalesce(value_high, value)` (an unbounded 'at least N' commits to no more than its
  lowest count N), and a point figure `max(value, value_low)`. A 'more than N' gives N for
  all three: the mention keeps its literal bound N+1 in value_low, but the report commits
  to no number other than N, and the curated databases record it as N (UCDP codes 'more
  than 50 fighters killed' as 50, GTD 'more than 45 others were injured' as 45).
* Precise figures from the headline or body are preferred. Captions and embedded posts
  restate the story, often with an earlier or rounded count ('more than a dozen'), so
  they fill a figure only when the headline and body state none for it.
* Vague amounts ('dozens': value null, value_low 24) count only when no precise figure
  exists for that figure, and then only through value_low, for low, best and high alike:
  the upper end of 'dozens' is not something any report asserted.
* low = lowest count, high = highest count. best: under 'max_non_party' the highest
  point figure (tolls rise as bodies are recovered, so preliminary counts are
  superseded); the figures a party to the fighting gives about its enemy's losses are
  the claims, which are excluded from every figure, so every figure left is non-party.
  Under 'conservative' best = low (ACLED-style).
* A count of wounded made before some of them died counts the dead too ('wounding four
  men' beside 'three dead, one wounded'): a count of wounded whose sentence states fewer
  dead than the event's toll is left out when a report states the survivors it leaves.
* n_mentions counts every non-claim mention of that event, type and group, including
  restatements that did not set the figure; it equals that figure's rows in
  figure_history.
* A type stated only by victim groups ('killed five civilians') also gets a derived
  total. Victim groups overlap (children are civilians too), so the derived total is the
  larger of the sum of the affiliation groups (civilians, protesters, security_forces, perpetrators,
  military, taken as mutually exclusive) and the largest other group: it never counts a
  person twice.

Conflicts
---------
Checked against stated totals and on the best figures: one group above its total
(group_exceeds_total); affiliation groups summing above the total (groups_exceed_total;
protesters 496 + security forces 48 = 544 does not); a publisher reporting a lower
figure in a later report than in an earlier one (source_lowered); point figures for one
figure more than `ratio_threshold` times apart (ratio_exceeded).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import polars as pl

from casualties.db import conform
from casualties.event_figures import FIGURE_KEY, PRIMARY_SEGMENTS, conflicts, figures_of_events
from casualties.places import state_country_codes
from casualties.tables import (
    DATE_BASES,
    EVENT_CLAIMS,
    EVENT_CONFLICTS,
    EVENT_DOCUMENTS,
    EVENT_FIGURES,
    EVENTS,
    EXTRACTED_MENTIONS,
    FIGURE_HISTORY,
    FIGURE_POLICIES,
    MENTION_EVENTS,
)

PERIOD_PRECISIONS = ("week", "month", "period")
DATE_PRECISION_RANK = {"day": 0, "week": 1, "month": 2, "period": 3}
# An event's dates rest on the most direct evidence among its reports (DATE_BASES runs from most direct).
DATE_BASIS_RANK = {basis: rank for rank, basis in enumerate(DATE_BASES)}
PLACE_LEVEL_RANK = {"city": 0, "region": 1, "country": 2, "none": 3}

# Checked in order; the first pattern found in the lower-cased attack_kind names the
# family. Specific weapons come before 'bomb' so that 'aerial bombing' and 'glide bomb'
# are air strikes while 'car bomb' is a bombing; a bare 'strike' comes last.
KIND_FAMILIES: tuple[tuple[str, str], ...] = (
    ("aerial_or_artillery", r"missile|drone|rocket|shell|artillery|mortar|air ?strike|aerial|air raid|bombard|glide bomb"),
    ("bombing", r"bomb|blast|explos|\bied\b|suicide|grenade|\bmines?\b"),
    ("shooting", r"shoot|gunfire|gunm[ae]n|\bguns?\b|\bshot\b|sniper"),
    ("stabbing", r"stab|knife|machete"),
    ("crackdown", r"crackdown|protest|demonstrat|riot|unrest|clash"),
    ("aerial_or_artillery", r"\bstrikes?\b"),
)

_REQUIRED_INPUTS = ("mention_id", "doc_id", "story_id", "casualty_type")
_OPTIONAL_INPUTS = (
    "segment",
    "segment_id",
    "char_start",
    "victim_group",
    "value",
    "value_low",
    "value_high",
    "qualifier",
    "location",
    "geonameid",
    "country_code",
    "admin1",
    "latitude",
    "longitude",
    "location_precision",
    "event_date",
    "event_date_end",
    "event_date_precision",
    "event_date_basis",
    "attack_kind",
    "is_claim",
    "claimant",
    "is_historical",
    "counts_named_victims",
    "counts_all_shot",
    "is_aggregate",
    "attributed_to",
    "reported_at",
    "publisher",
)
# Every extracted_mentions column reconciliation reads: the stage loads no other.
INPUT_COLUMNS = _REQUIRED_INPUTS + _OPTIONAL_INPUTS
_ONE_DAY = pl.duration(days=1)
# Reports of one site a few days apart restating one toll of a few people are one incident
# (_join_same_toll_days): a follow-up is news of the days after the incident.
SAME_TOLL_DAYS = 14
MIN_SAME_TOLL = 2
# The toll that ties two days one publisher reported both of, beside another publisher's report.
MIN_SAME_TOLL_SHARED_PUBLISHER = 3
# An article stating no figure is news: it reports an event of the days just before its publication.
QUIET_REPORT_DAYS = 4
# Pairs of stories that share rare names, the names, the day both report where the names
# alone would not tie them, and how many persons, places and things the names stand for
# (casualties.stages.reconciled.NAME_TIES_SQL).
NAME_TIE_SCHEMA = {
    "story_id": pl.String,
    "story_id_other": pl.String,
    "shared_names": pl.String,
    "shared_day": pl.Date,
    "doc_id": pl.String,
    "doc_id_other": pl.String,
    "independent_names": pl.Int64,
}
# Articles stating no figure whose headline names the town of a day mention in the weeks up
# to their publication, with that mention and whether the town's name is in few articles' names
# (casualties.stages.reconciled.QUIET_PLACE_TIES_SQL).
QUIET_PLACE_TIE_SCHEMA = {
    "quiet_story_id": pl.String,
    "quiet_doc_id": pl.String,
    "heading": pl.String,
    "published_day": pl.Date,
    "mention_id": pl.String,
    "named_place": pl.String,
    "rare_place": pl.Boolean,
}


@dataclass(frozen=True)
class Reconciliation:
    """The reconciled tables, each conformed to its contract, plus each mention's event."""

    events: pl.DataFrame
    event_figures: pl.DataFrame
    event_documents: pl.DataFrame
    event_claims: pl.DataFrame
    event_conflicts: pl.DataFrame
    figure_history: pl.DataFrame
    mention_events: pl.DataFrame

    def tables(self) -> dict[str, pl.DataFrame]:
        """The contract tables by name, ready for casualties.db.replace_tables."""
        return {
            EVENTS.name: self.events,
            EVENT_FIGURES.name: self.event_figures,
            EVENT_DOCUMENTS.name: self.event_documents,
            EVENT_CLAIMS.name: self.event_claims,
            EVENT_CONFLICTS.name: self.event_conflicts,
            FIGURE_HISTORY.name: self.figure_history,
            MENTION_EVENTS.name: self.mention_events,
        }


def reconcile(
    mentions: pl.DataFrame,
    policy: str = "max_non_party",
    ratio_threshold: float = 3.0,
    name_ties: pl.DataFrame | None = None,
    quiet_place_ties: pl.DataFrame | None = None,
) -> Reconciliation:
    """Group casualty mentions into events and derive each event's figures, claims and conflicts.

    `name_ties` (NAME_TIE_SCHEMA) pairs stories that share rare names, as
    casualties.stages.reconciled.NAME_TIES_SQL finds them and counts their independent
    names; their events are merged.
    `quiet_place_ties` pairs articles that state no figure with the day mentions whose town
    their headline names (casualties.stages.reconciled.QUIET_PLACE_TIES_SQL)."""
    if policy not in FIGURE_POLICIES:
        raise ValueError(f"unknown figure policy {policy!r}; expected one of {FIGURE_POLICIES}")
    # A running total ('8,000 killed since the conflict began') is no incident's: it joins no event.
    prepared = _prepare(mentions).filter(~pl.col("is_aggregate"))
    ties = _conformed(name_ties, NAME_TIE_SCHEMA)
    assigned = prepared.join(_assign_events(prepared, ties), on="mention_id").with_columns(
        pl.when(pl.col("keeps_dates")).then(pl.col(name)).alias(name) for name in ("date_start", "date_end")
    )
    named_quiet = _quiet_reports(assigned, ties)
    quiet = pl.concat(
        [named_quiet, _placed_quiet_reports(assigned, _conformed(quiet_place_ties, QUIET_PLACE_TIE_SCHEMA), named_quiet)]
    )
    reports = assigned.filter(~pl.col("is_claim"))
    figures, reported = figures_of_events(reports, policy)
    return Reconciliation(
        events=conform(_events(assigned, quiet), EVENTS),
        event_figures=conform(figures, EVENT_FIGURES).sort(FIGURE_KEY),
        event_documents=conform(
            pl.concat([assigned.select("event_id", "doc_id"), quiet.select("event_id", "doc_id")]).unique(), EVENT_DOCUMENTS
        ).sort("event_id", "doc_id"),
        event_claims=conform(_claims(assigned), EVENT_CLAIMS).sort("event_id", "mention_id"),
        event_conflicts=conform(conflicts(reports, reported, ratio_threshold), EVENT_CONFLICTS),
        figure_history=conform(reports, FIGURE_HISTORY).sort(
            "event_id", "casualty_type", "victim_group", "reported_at", "mention_id", nulls_last=True
        ),
        mention_events=conform(assigned.select("mention_id", "event_id"), MENTION_EVENTS).sort("mention_id"),
    )


def _assign_events(prepared: pl.DataFrame, name_ties: pl.DataFrame) -> pl.DataFrame:
    """For every mention: its event_id; the clue that put it there; keeps_dates, false when
    its dates are only a window its event's day falls in; and other_events, the events its
    story fitted as well when it could not join one of them."""
    dated = prepared.filter(pl.col("date_start").is_not_null())
    windowed = dated.get_column("is_window")
    placed_dated = _group_dated(dated.filter((pl.col("level") != "region") & ~windowed))
    regional = _group_regions(dated.filter((pl.col("level") == "region") & ~windowed), placed_dated)
    day_groups = pl.concat([placed_dated, regional])
    in_windows = _group_windows(dated.filter(windowed), day_groups)
    dated_groups = pl.concat([day_groups, in_windows], how="diagonal_relaxed")
    undated = _group_undated(prepared.filter(pl.col("date_start").is_null()), dated_groups)
    named = _join_named_stories(pl.concat([dated_groups, undated], how="diagonal_relaxed"), prepared, name_ties)
    keyed = _join_month_follow_ups(_join_same_toll_days(named, prepared), prepared)
    return keyed.select(
        "mention_id",
        pl.col("event_key").map_elements(_stable_id, return_dtype=pl.String).alias("event_id"),
        "clue",
        pl.col("keeps_dates").fill_null(True),
        pl.col("other_events").list.eval(pl.element().map_elements(_stable_id, return_dtype=pl.String)),
        pl.col("name_tied").fill_null(False),
        pl.col("tie_part").map_elements(_stable_id, return_dtype=pl.String),
    )


def _town_mentions(keyed: pl.DataFrame, prepared: pl.DataFrame, kept: pl.Expr) -> pl.DataFrame:
    """The mentions placed at a town that `kept` keeps, of events dating themselves (not
    follow-ups already tied to another's dates), with their event's key."""
    return (
        keyed.filter(pl.col("keeps_dates").fill_null(True))
        .select("mention_id", "event_key")
        .join(prepared.filter(kept & (pl.col("level") == "city")), on="mention_id")
    )


def _stated_total(casualty_type: str) -> pl.Expr:
    """In an aggregation: the highest total of that type a headline or body states (null for
    none), named '_killed' or '_injured'."""
    return (
        pl.col("value")
        .filter(
            (pl.col("casualty_type") == casualty_type)
            & pl.col("victim_group").is_null()
            & pl.col("segment").is_in(PRIMARY_SEGMENTS).fill_null(True)
        )
        .max()
        .alias(f"_{casualty_type}")
    )


def _join_same_toll_days(keyed: pl.DataFrame, prepared: pl.DataFrame) -> pl.DataFrame:
    """Day events at one town, of compatible kinds, two to SAME_TOLL_DAYS days apart, whose
    reports come from different publishers and state the same totals of killed and of
    injured, at least MIN_SAME_TOLL people in all, are one incident: a follow-up dated by its
    own news (the third suspect sought on Tuesday, the victim who died two days later)
    restating the first report's toll. Tied events must all tie to each other: a chain of
    such ties over weeks is one site's run of incidents. One publisher's reports of two days stay apart (a
    register's summaries of one town); where another publisher reported one of the days too
    (a newsroom following up the incident it covered), the toll must be one of
    MIN_SAME_TOLL_SHARED_PUBLISHER people or more, since a city's newsrooms report its other
    incidents of one killed and one wounded as well. Tolls of one person, which a city's other
    incidents of those days state as well, and reports placed only in a region or country,
    whose other incidents of two weeks are too many to be told apart by a toll. Tied events, chained, take the first key and say
    why; the event of the day most documents report (ties: the first day) dates them, and
    the others' mentions, like those tied by names, are `name_tied`."""
    totals = (
        _town_mentions(keyed, prepared, ~pl.col("hist") & ~pl.col("is_claim") & ~pl.col("is_aggregate") & ~pl.col("is_period"))
        .group_by("event_key")
        .agg(
            pl.col("site").first(),
            pl.col("family").drop_nulls().first(),
            pl.col("date_start").min().alias("_day"),
            pl.col("publisher").drop_nulls().unique().alias("_publishers"),
            pl.col("doc_id").n_unique().alias("_documents"),
            *(_stated_total(casualty_type).fill_null(0) for casualty_type in ("killed", "injured")),
        )
        .filter(((pl.col("_killed") + pl.col("_injured")) >= MIN_SAME_TOLL) & pl.col("_day").is_not_null())
    )
    days_apart = (pl.col("_day") - pl.col("_day_other")).dt.total_days().abs()
    links = (
        totals.join(totals, on=["site", "_killed", "_injured"], suffix="_other")
        .filter(
            (pl.col("event_key") < pl.col("event_key_other"))
            & _compatible_kind("family", "family_other")
            & (days_apart > 1)
            & (days_apart <= SAME_TOLL_DAYS)
            & (pl.col("_publishers").list.len() > 0)
            & (pl.col("_publishers_other").list.len() > 0)
            # Other publishers report each day; a publisher that reported both (a city's
            # newsroom follows its incidents) is no objection when the toll is a rarer one.
            & (pl.col("_publishers").list.set_union("_publishers_other").list.len() >= 2)
            & (
                (pl.col("_publishers").list.set_intersection("_publishers_other").list.len() == 0)
                | ((pl.col("_killed") + pl.col("_injured")) >= MIN_SAME_TOLL_SHARED_PUBLISHER)
            )
        )
        .select(
            "event_key",
            "event_key_other",
            pl.format("days {} and {} at {} report the same toll from other publishers, killed {} and injured {}",
                      pl.min_horizontal("_day", "_day_other"), pl.max_horizontal("_day", "_day_other"), "site", "_killed", "_injured")
            .alias("_tie"),
        )
    )
    if links.is_empty():
        return keyed
    tied_events = pl.concat([links.select("event_key"), links.select(pl.col("event_key_other").alias("event_key"))]).unique()
    clusters = _connected(tied_events, links, [], "event_key", "event_key_other")
    # Every event of a cluster must tie to every other: one toll at one site week after week
    # (a chain of ties, each two weeks at most, over months) is a run of incidents, not one.
    sizes = clusters.group_by("_cluster").agg(pl.len().alias("_events"))
    tie_counts = links.join(clusters, on="event_key").group_by("_cluster").agg(pl.len().alias("_ties"))
    whole = sizes.join(tie_counts, on="_cluster").filter(pl.col("_ties") == pl.col("_events") * (pl.col("_events") - 1) // 2)
    clusters = clusters.join(whole.select("_cluster"), on="_cluster", how="semi")
    if clusters.is_empty():
        return keyed
    reasons = links.join(clusters, on="event_key").group_by("_cluster").agg(pl.col("_tie").unique().sort().str.join("; "))
    # The day most documents report dates the incident (ties: the first day); the other
    # days are a follow-up's own news and leave the event's dates alone.
    anchors = (
        clusters.join(totals.select("event_key", "_documents", "_day"), on="event_key")
        .sort(["_cluster", "_documents", "_day", "event_key"], descending=[False, True, False, False])
        .group_by("_cluster", maintain_order=True)
        .first()
        .select("_cluster", pl.col("event_key").alias("_anchor"))
    )
    joined = pl.col("_anchor").is_not_null() & (pl.col("_anchor") != pl.col("event_key"))
    return (
        keyed.join(clusters.join(reasons, on="_cluster").join(anchors, on="_cluster"), on="event_key", how="left")
        .with_columns(_tied_follow_ups(joined, "_cluster", pl.col("_tie").is_not_null()))
        .drop("_cluster", "_tie", "_anchor")
    )


def _join_month_follow_ups(keyed: pl.DataFrame, prepared: pl.DataFrame) -> pl.DataFrame:
    """A story that dates its incident only by its month ('back in June', 'the November
    shooting': a verdict or a plea months later) reports the one day event of that month at
    its town, of a compatible kind, that states every total it states (the same killed, the
    same injured): its mentions join that event, like a follow-up tied by its toll, and leave
    its dates and figures alone (`name_tied`). A month holding no such event, or several (a
    city's two shootings of one toll that month), leaves the story's event as it was. Only at
    a town: a region's month is too wide for one toll to tell its incidents apart."""
    totals_by = [_stated_total(casualty_type) for casualty_type in ("killed", "injured")]
    events = (
        _town_mentions(keyed, prepared, ~pl.col("is_claim") & ~pl.col("is_aggregate"))
        .group_by("event_key")
        .agg(
            pl.col("site").first(),
            pl.col("family").drop_nulls().first(),
            pl.col("date_start").min(),
            pl.col("date_end").max(),
            (pl.col("event_date_precision") == "month").all().alias("_month"),
            (~pl.col("is_period") & ~pl.col("hist")).all().alias("_day_event"),
            pl.col("hist").all().alias("_recalled"),
            pl.col("story_id").unique(),
            *totals_by,
        )
    )
    # A story recalling a month's incident reports it only when its own news restates that
    # toll (the verdict in the killing of two men): a new shooting's story recalling another
    # of the same month ('in June, two men were killed there') reports its own. An event of
    # several stories needs one of them to restate it.
    story_tolls = (
        prepared.filter(~pl.col("hist") & ~pl.col("is_claim") & ~pl.col("is_aggregate"))
        .group_by("story_id")
        .agg(*totals_by)
        .select("story_id", pl.col("_killed").alias("_story_killed"), pl.col("_injured").alias("_story_injured"))
    )
    months = (
        events.filter(pl.col("_month") & (pl.col("_killed").fill_null(0) + pl.col("_injured").fill_null(0) > 0))
        .explode("story_id")
        .join(story_tolls, on="story_id", how="left")
        .filter(
            ~pl.col("_recalled")
            | (pl.col("_story_killed").eq_missing(pl.col("_killed")) & pl.col("_story_injured").eq_missing(pl.col("_injured")))
        )
        .select("event_key", "site", "family", "date_start", "date_end", "_killed", "_injured")
        .unique("event_key", maintain_order=True)
    )
    days = events.filter(pl.col("_day_event")).select(
        pl.col("event_key").alias("_day_key"), "site", pl.col("family").alias("_day_family"), pl.col("date_start").alias("_day"),
        pl.col("_killed").alias("_day_killed"), pl.col("_injured").alias("_day_injured"),
    )
    fitting = (
        months.join(days, on="site")
        .filter(
            pl.col("_day").is_between("date_start", "date_end")
            & _compatible_kind("family", "_day_family")
            & (pl.col("_killed").is_null() | (pl.col("_killed") == pl.col("_day_killed")))
            & (pl.col("_injured").is_null() | (pl.col("_injured") == pl.col("_day_injured")))
        )
        .filter(pl.len().over("event_key") == 1)
        .select(
            "event_key",
            "_day_key",
            pl.format(
                "a story dates its toll (killed {}, injured {}) only to the month {} to {} at {}: the one event there that month stating it, on {}",
                pl.col("_killed").fill_null(0), pl.col("_injured").fill_null(0), "date_start", "date_end", "site", "_day",
            ).alias("_tie"),
        )
    )
    if fitting.is_empty():
        return keyed
    joined = pl.col("_day_key").is_not_null()
    return (
        keyed.join(fitting, on="event_key", how="left")
        .with_columns(_tied_follow_ups(joined, "_day_key", joined))
        .drop("_day_key", "_tie")
    )


def _tied_follow_ups(joined: pl.Expr, key: str, tied: pl.Expr) -> list[pl.Expr]:
    """The columns of mentions tied to an event by its toll: a follow-up's (`joined`) leave
    that event's dates alone and, like a report tied by names, give a figure only of a type
    it states none of (`name_tied`); every tied mention (`tied`) takes the key of the event
    (the column `key`) and says why in its clue (the column `_tie`)."""
    return [
        pl.when(joined).then(pl.lit(False)).otherwise(pl.col("keeps_dates")).alias("keeps_dates"),
        (joined | pl.col("name_tied").fill_null(False)).alias("name_tied"),
        pl.coalesce(key, "event_key").alias("event_key"),
        pl.when(tied).then(pl.format("{}; {}", "clue", "_tie")).otherwise(pl.col("clue")).alias("clue"),
    ]


def _quiet_reports(assigned: pl.DataFrame, name_ties: pl.DataFrame) -> pl.DataFrame:
    """The documents of stories that state no casualty figure (a follow-up on the arrest, a
    page whose toll the extractor missed) yet share names with a story that does: each is a
    report of that story's main event (the current event holding most of its mentions, else
    the past one): of the main events of the stories it is tied to, the one it shares most
    independent names with, when no other shares as many. One row per (event_id, doc_id)
    with the clue."""
    mentioned = assigned.select("story_id").unique()
    main = (
        assigned.group_by("story_id", "event_id")
        .agg(pl.len().alias("_mentions"), pl.col("hist").first())
        .sort(["story_id", "hist", "_mentions", "event_id"], descending=[False, False, True, False])
        .group_by("story_id", maintain_order=True)
        .first()
        .select("story_id", "event_id")
    )
    both_ways = pl.concat(
        [
            name_ties.select(
                "story_id", pl.col("story_id_other").alias("_quiet_story"), pl.col("doc_id_other").alias("_quiet_doc"),
                "shared_names",
                "independent_names",
            ),
            name_ties.select(
                pl.col("story_id_other").alias("story_id"), pl.col("story_id").alias("_quiet_story"), pl.col("doc_id").alias("_quiet_doc"),
                "shared_names",
                "independent_names",
            ),
        ]
    )
    tied = (
        both_ways.filter(pl.col("_quiet_doc").is_not_null())
        .join(mentioned, left_on="_quiet_story", right_on="story_id", how="anti")
        .join(main, on="story_id")
    )
    # Tied to several events, the story reports the one it shares most independent names
    # with (the victim and the detective, over a car's make and model), if any one.
    strongest = (
        tied.group_by("_quiet_story", "event_id")
        .agg(pl.col("independent_names").max())
        .filter(pl.col("independent_names") == pl.col("independent_names").max().over("_quiet_story"))
    )
    one_event = strongest.group_by("_quiet_story").agg(pl.col("event_id").first(), pl.len().alias("_events")).filter(pl.col("_events") == 1)
    return (
        tied.join(one_event.select("_quiet_story", "event_id"), on=["_quiet_story", "event_id"])
        .group_by("event_id", pl.col("_quiet_doc").alias("doc_id"))
        .agg(
            pl.format("story {} states no figure and shares names with story {}: {}", "_quiet_story", "story_id", "shared_names")
            .sort()
            .str.join("; ")
            .alias("clue")
        )
    )


def _conformed(frame: pl.DataFrame | None, schema: dict[str, pl.DataType]) -> pl.DataFrame:
    """`frame` with exactly the columns of `schema` (missing ones null), or an empty frame."""
    if frame is None:
        return pl.DataFrame(schema=schema)
    return frame.select(
        (pl.col(name) if name in frame.columns else pl.lit(None)).cast(dtype).alias(name) for name, dtype in schema.items()
    )


def _placed_quiet_reports(assigned: pl.DataFrame, place_ties: pl.DataFrame, named_quiet: pl.DataFrame) -> pl.DataFrame:
    """The documents of articles that state no figure and share no rare name with a story
    that does, yet whose headline names the town of a current day event of the
    QUIET_REPORT_DAYS days up to their publication (a follow-up that names nobody and counts
    nothing), or of any day of the QUIET_PLACE_DAYS days up to it at a town whose name is in
    few articles (`rare_place`: a small town's one shooting, charged weeks later): each is a
    report of that event when it is the only event of a kind compatible with the headline's
    reported there in the casualties.stages.reconciled.QUIET_PLACE_DAYS days up to its
    publication.
    An article fitting several (two shootings in one city that week), or naming a town where
    other incidents were reported in the weeks before (a city whose shootings a headline
    alone cannot tell apart), reports none. One row per (event_id, doc_id) with the clue."""
    events = (
        assigned.filter(~pl.col("hist") & pl.col("keeps_dates"))
        .select("mention_id", "event_id", "site", "date_start")
        .join(assigned.group_by("event_id").agg(pl.col("family").drop_nulls().first().alias("_event_family")), on="event_id")
    )
    candidates = (
        place_ties.join(named_quiet.select(pl.col("doc_id").alias("quiet_doc_id")).unique(), on="quiet_doc_id", how="anti")
        .with_columns(kind_family(pl.col("heading")).alias("family"))
        .join(events, on="mention_id")
        .filter(_compatible_kind("family", "_event_family"))
        .group_by("quiet_story_id", "quiet_doc_id", "event_id")
        .agg(
            pl.col("named_place").first(),
            pl.col("site").first(),
            pl.col("date_start").min().alias("_day"),
            (
                (pl.col("date_start").max() > pl.col("published_day").first() - pl.duration(days=QUIET_REPORT_DAYS))
                | pl.col("rare_place").fill_null(False).any()
            ).alias("_in_reach"),
        )
    )
    only = (
        candidates.group_by("quiet_story_id")
        .agg(pl.len().alias("_events"), pl.col("_in_reach").sum().alias("_events_in_reach"))
        .filter((pl.col("_events") == 1) & (pl.col("_events_in_reach") == 1))
    )
    return (
        candidates.join(only.select("quiet_story_id"), on="quiet_story_id")
        .group_by("event_id", pl.col("quiet_doc_id").alias("doc_id"))
        .agg(
            pl.format(
                "story {} states no figure and its headline names {}: the one event at {} in the weeks before it, on {}",
                "quiet_story_id",
                "named_place",
                "site",
                "_day",
            )
            .sort()
            .str.join("; ")
            .alias("clue")
        )
    )


def _join_named_stories(keyed: pl.DataFrame, prepared: pl.DataFrame, name_ties: pl.DataFrame) -> pl.DataFrame:
    """Stories that share rare names (a victim's, a suspect's, a street's) report one incident
    wherever each places and dates it: a follow-up placed in a neighbourhood, or dated by its
    own news, joins the first report. A tie with a `shared_day` (names and a day both report)
    holds only when the two main events lie within a day of each other (or the week of a
    story naming no day), or one of them is undated. A story ties by its main event, the
    current event holding most of its mentions, so an earlier shooting it recalls stays apart;
    a story that only recalls (a trial report, all of whose figures are of the past) ties by
    the past event holding most of its mentions (of as many, the one its headline reports,
    else the latest). Tied events, chained through their stories, become the event with the
    first key, and say which names tied them.

    The names tie the reports, not their figures: a follow-up's other toll (a sidebar's, a
    misread age) says nothing the anchor's does not. The anchor is the tied event most
    documents report (ties: the first reported, then the first key); the mentions of the
    other tied events are `name_tied`, and give a figure only of a type the anchor states
    none of, or a rise of its killed (casualties.event_figures). `tie_part` is each tied mention's
    event before the tie."""
    # Undated groups carry only their keys, the dated ones every column: the mentions' own
    # columns come from `prepared`.
    keys = keyed.select("mention_id", "event_key")
    main = (
        keys.join(prepared.select("mention_id", "story_id", "hist", "segment", "date_end"), on="mention_id")
        .group_by("story_id", "event_key")
        .agg(
            pl.len().alias("_mentions"),
            pl.col("hist").first(),
            (pl.col("segment") == "headline").fill_null(False).any().alias("_headline"),
            pl.col("date_end").max().alias("_last_day"),
        )
        # Of events holding as many of its mentions, the one its headline reports, else the
        # latest: news reports the newest shooting and recalls older ones ('two weeks
        # earlier, a boy was shot ...').
        .sort(
            ["story_id", "hist", "_mentions", "_headline", "_last_day", "event_key"],
            descending=[False, False, True, True, True, False],
            nulls_last=True,
        )
        .group_by("story_id", maintain_order=True)
        .first()
        .select("story_id", "event_key")
    )
    # A tie by a day both stories report holds only when their main events are on that
    # day or the next (or in the week of a story naming no day): a sidebar's day ties no two
    # main events. An undated event (its story dates nothing) is on no other day; a period's is.
    days = (
        keyed.filter(pl.col("keeps_dates").fill_null(True))
        .select("mention_id", "event_key")
        .join(prepared.select("mention_id", "date_start", "date_end"), on="mention_id")
        .group_by("event_key")
        .agg(pl.col("date_start").min(), pl.col("date_end").max())
        .filter(pl.col("date_start").is_null() | ((pl.col("date_end") - pl.col("date_start")) < pl.duration(days=7)))
        .with_columns(pl.col("date_start").is_null().alias("_undated"))
    )
    days_other = days.select(
        pl.col("event_key").alias("event_key_other"),
        pl.col("date_start").alias("_start_other"),
        pl.col("date_end").alias("_end_other"),
        pl.col("_undated").alias("_undated_other"),
    )
    links = (
        name_ties.join(main, on="story_id")
        .join(main.select(pl.col("story_id").alias("story_id_other"), pl.col("event_key").alias("event_key_other")), on="story_id_other")
        .filter(pl.col("event_key") != pl.col("event_key_other"))
        .join(days, on="event_key", how="left")
        .join(days_other, on="event_key_other", how="left")
        .filter(
            pl.col("shared_day").is_null()
            | pl.col("_undated").fill_null(False)
            | pl.col("_undated_other").fill_null(False)
            | (
                (pl.col("date_start") <= pl.col("_end_other") + _ONE_DAY) & (pl.col("_start_other") <= pl.col("date_end") + _ONE_DAY)
            ).fill_null(False)
        )
        .drop("date_start", "date_end", "_undated", "_start_other", "_end_other", "_undated_other")
    )
    tied_events = pl.concat([links.select("event_key"), links.select(pl.col("event_key_other").alias("event_key"))]).unique()
    clusters = _connected(tied_events, links, [], "event_key", "event_key_other")
    names = (
        links.join(clusters, on="event_key")
        .group_by("_cluster")
        .agg(
            pl.when(pl.col("shared_day").is_null())
            .then(pl.format("stories {} and {} share names: {}", "story_id", "story_id_other", "shared_names"))
            .otherwise(pl.format("stories {} and {} report day {} and share names: {}", "story_id", "story_id_other", "shared_day", "shared_names"))
            .sort()
            .str.join("; ")
            .alias("_names")
        )
    )
    first_reported = (
        keys.join(prepared.select("mention_id", "reported_at", "doc_id"), on="mention_id")
        .group_by("event_key")
        .agg(pl.col("reported_at").min().alias("_first_reported"), pl.col("doc_id").n_unique().alias("_documents"))
    )
    anchors = (
        clusters.join(first_reported, on="event_key", how="left")
        .sort(["_cluster", "_documents", "_first_reported", "event_key"], descending=[False, True, False, False], nulls_last=True)
        .group_by("_cluster", maintain_order=True)
        .first()
        .select("_cluster", pl.col("event_key").alias("_anchor"))
    )
    renamed = clusters.join(names, on="_cluster").join(anchors, on="_cluster")
    old_keys, new_keys = renamed.get_column("event_key"), renamed.get_column("_cluster")
    return (
        keyed.join(renamed, on="event_key", how="left")
        .with_columns(
            (pl.col("_anchor").is_not_null() & (pl.col("event_key") != pl.col("_anchor"))).alias("name_tied"),
            pl.when(pl.col("_anchor").is_not_null()).then(pl.col("event_key")).alias("tie_part"),
            pl.coalesce("_cluster", "event_key").alias("event_key"),
            pl.when(pl.col("_names").is_not_null()).then(pl.format("{}; {}", "clue", "_names")).otherwise(pl.col("clue")).alias("clue"),
            pl.col("other_events").list.eval(pl.element().replace(old_keys, new_keys)),
        )
        .drop("_cluster", "_names", "_anchor")
    )


def kind_family(attack_kind: pl.Expr) -> pl.Expr:
    """The family of an attack kind, or null when unstated or not recognised."""
    lowered = attack_kind.str.to_lowercase()
    # coalesce keeps the first family whose pattern matches, in KIND_FAMILIES order.
    return pl.coalesce(
        [pl.when(lowered.str.contains(pattern)).then(pl.lit(family)) for family, pattern in KIND_FAMILIES]
    )


def _stable_id(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def _prepare(mentions: pl.DataFrame) -> pl.DataFrame:
    missing = [name for name in _REQUIRED_INPUTS if name not in mentions.columns]
    if missing:
        raise ValueError(f"casualty mentions lack required columns {missing}")
    schema = EXTRACTED_MENTIONS.polars_schema()
    frame = mentions.select(
        [pl.col(name).cast(schema[name]) for name in _REQUIRED_INPUTS]
        + [
            (pl.col(name) if name in mentions.columns else pl.lit(None)).cast(schema[name]).alias(name)
            for name in _OPTIONAL_INPUTS
        ]
    )
    precision = pl.col("location_precision")
    country, admin1 = pl.col("country_code"), pl.col("admin1")
    level = (
        pl.when((precision == "country") & country.is_not_null())
        .then(pl.lit("country"))
        .when((precision == "region") & country.is_not_null() & admin1.is_not_null())
        .then(pl.lit("region"))
        .when(pl.col("geonameid").is_not_null() | pl.col("location").is_not_null())
        .then(pl.lit("city"))
        .otherwise(pl.lit("none"))
    )
    date_end = pl.when(pl.col("event_date").is_not_null()).then(
        pl.max_horizontal("event_date", "event_date_end")
    )
    return (
        frame.with_columns(
            level.alias("level"),
            level.replace_strict(PLACE_LEVEL_RANK, return_dtype=pl.Int32).alias("level_rank"),
            pl.col("is_claim").fill_null(False),
            pl.col("is_aggregate").fill_null(False),
            pl.col("is_historical").fill_null(False).alias("hist"),
            pl.col("event_date").alias("date_start"),
            date_end.alias("date_end"),
            kind_family(pl.col("attack_kind")).alias("family"),
        )
        .with_columns(
            # The week up to a story's publication holds one unknown day of it, not a period.
            (
                (
                    pl.col("event_date_precision").is_in(PERIOD_PRECISIONS)
                    | ((pl.col("date_end") - pl.col("date_start")) > _ONE_DAY)
                )
                & (pl.col("event_date_basis") != "publication").fill_null(True)
            ).fill_null(False).alias("is_period"),
            # A story that names no day, dated only to the week up to its publication (or
            # 'this week'): the incident was one day of that week, not all of it.
            ((pl.col("event_date_precision") == "week") & ~pl.col("hist")).fill_null(False).alias("is_window"),
        )
        .with_columns(
            # A country is no place to meet on one day: two stories placed only in one
            # country are as likely two incidents as one, so a country-level day mention,
            # or one dated only to a week, groups within its story. A country's period
            # toll (nationwide unrest) is shared; a past one cited by a story ('last year, two
            # men were killed') is that story's own comparison.
            pl.when((pl.col("level") == "country") & pl.col("is_period") & ~pl.col("is_window") & ~pl.col("hist"))
            .then(pl.format("c:{}", country))
            .when(pl.col("level") == "country")
            .then(pl.format("c:{}:{}", country, "story_id"))
            .when(pl.col("level") == "region")
            .then(pl.format("r:{}:{}", country, admin1))
            # An area of no one division ('Donbas', 'eastern Ukraine') is, like a country,
            # too wide for two stories of one day to be one incident by place alone.
            .when((precision == "region") & admin1.is_null() & ~(pl.col("is_period") & ~pl.col("is_window")))
            .then(pl.format("a:{}:{}:{}", country.fill_null(""), pl.col("location").str.to_lowercase(), "story_id"))
            .when(pl.col("geonameid").is_not_null())
            .then(pl.format("g:{}", "geonameid"))
            .when(pl.col("level") == "city")
            .then(pl.format("l:{}:{}", country.fill_null(""), pl.col("location").str.to_lowercase()))
            .otherwise(pl.format("s:{}", "story_id"))
            .alias("site"),
            pl.when(pl.col("level").is_in(["city", "region"]) & country.is_not_null() & admin1.is_not_null())
            .then(pl.format("r:{}:{}", country, admin1))
            .alias("region_key"),
        )
    )


def _event_key(start: pl.Expr) -> pl.Expr:
    return pl.format(
        "{}|{}|{}|{}|{}",
        pl.when(pl.col("hist")).then(pl.lit("historical")).otherwise(pl.lit("current")),
        pl.col("site"),
        pl.col("family").fill_null(""),
        pl.when(pl.col("is_period")).then(pl.lit("period")).otherwise(pl.lit("day")),
        start,
    )


def _with_runs(frame: pl.DataFrame, keys: list[str], start: str, end: str, tolerance_days: int) -> pl.DataFrame:
    """Add run_start/run_end: within `keys`, chains of [start, end] intervals whose gap to
    everything before them is at most `tolerance_days` days.

    One sort and a running maximum: no pair of rows is compared."""
    prior_end = pl.col(end).cum_max().shift(1).over(keys)
    return (
        frame.sort(list(dict.fromkeys([*keys, start, end])))
        .with_columns(
            (prior_end.is_null() | (pl.col(start) > prior_end + pl.duration(days=tolerance_days)))
            .cast(pl.Int32)
            .alias("_new_run")
        )
        .with_columns(pl.col("_new_run").cum_sum().over(keys).alias("_run"))
        .with_columns(
            pl.col(start).min().over([*keys, "_run"]).alias("run_start"),
            pl.col(end).max().over([*keys, "_run"]).alias("run_end"),
        )
        .drop("_new_run", "_run")
    )


def _group_dated(dated: pl.DataFrame) -> pl.DataFrame:
    """Event keys for dated mentions grouped by site, kind family and dates."""
    return pl.concat(
        [
            _group_days(dated.filter(~pl.col("is_period"))),
            _group_periods(dated.filter(pl.col("is_period"))),
        ],
        how="diagonal",
    )


def _group_days(days: pl.DataFrame) -> pl.DataFrame:
    # Runs follow each mention's first day: an overnight span already counts as one day.
    runs = _with_runs(
        _adopt_family_by_day(days), ["site", "hist", "family"], "date_start", "date_start", tolerance_days=1
    )
    one_event = (pl.col("run_end") - pl.col("run_start")) <= _ONE_DAY
    day_start = pl.when(one_event).then(pl.col("run_start")).otherwise(pl.col("date_start"))
    day_end = pl.when(one_event).then(pl.col("run_end")).otherwise(pl.col("date_start"))
    grouped = runs.with_columns(
        _event_key(day_start).alias("event_key"),
        pl.format(
            "same place ({}), {}, {}", "site", pl.col("family").fill_null("kind unstated"), _days_text(day_start, day_end)
        ).alias("clue"),
    ).drop("run_start", "run_end")
    return _split_untied_stories(grouped)


def _days_text(start: pl.Expr, end: pl.Expr) -> pl.Expr:
    return pl.when(start == end).then(pl.format("day {}", start)).otherwise(pl.format("days {} to {}", start, end))


def _split_untied_stories(grouped: pl.DataFrame) -> pl.DataFrame:
    """Stories at one place, on one day and of one kind are one event only when their figures
    tie them: a precise total both state ('killed 2'), a total that a later report raises
    (tolls rise as the dead are counted), or a publisher's later report of the same day on its
    own figure. Two shootings in a city on one night, or two
    summaries of linked attacks written at one time, share place, day and kind and nothing else.

    Stories are compared only within their group, and chained: a story tied to either of
    two tied stories joins both. The event key gains its first story, so splitting a group
    never renames the events of other groups."""
    stories = grouped.select("event_key", "story_id").unique()
    stated = grouped.filter(
        ~pl.col("is_claim")
        & ~pl.col("is_aggregate")
        & pl.col("value").is_not_null()
        & pl.col("segment").is_in(PRIMARY_SEGMENTS).fill_null(True)
    )
    # A story's total of a type, or where it states none, its count of several of one group of
    # victims ('five teens were hospitalized'), which another report may state as its total
    # ('five were hospitalized'): the same count ties them, a larger one says nothing of a rise
    # (a group is part of a total). Only at a town: a region's reports of one soldier killed
    # each are as many incidents as reports; and one teen killed is the killed person whom
    # another report counts among those shot.
    has_total = pl.col("victim_group").is_null().any().over("event_key", "story_id", "casualty_type")
    group_count = ~has_total & (pl.col("level") == "city") & (pl.col("value") >= MIN_SAME_TOLL)
    totals = (
        stated.filter(pl.col("victim_group").is_null() | group_count)
        .group_by("event_key", "story_id", "casualty_type")
        .agg(
            pl.col("victim_group").is_not_null().all().alias("_group_count"),
            pl.col("value").max(),
            pl.col("reported_at").min(),
            pl.col("publisher").drop_nulls().first(),
            pl.col("date_start").min(),
        )
    )
    pairs = totals.join(totals, on=["event_key", "casualty_type"], suffix="_other").filter(
        pl.col("story_id") < pl.col("story_id_other")
    )
    earlier_first = pl.col("reported_at") < pl.col("reported_at_other")
    later_first = pl.col("reported_at") > pl.col("reported_at_other")
    rising = ~pl.col("_group_count") & ~pl.col("_group_count_other") & (
        (earlier_first & (pl.col("value") < pl.col("value_other"))) | (later_first & (pl.col("value") > pl.col("value_other")))
    )
    one_publisher = (pl.col("publisher") == pl.col("publisher_other")).fill_null(False)
    # One publisher's reports written at one time are separate stories: a register's
    # summaries of the attacks of one day (each part of a coordinated attack is its own
    # incident, even where both restate one toll), one edition's briefs.
    one_publication = one_publisher & pl.col("reported_at").eq_missing(pl.col("reported_at_other"))
    # A publisher's later report of its incident restates the day it reported: one
    # publisher's reports of two days (a register's summaries of attacks on consecutive
    # days in one town, each with the same toll) are two incidents.
    one_publisher_two_days = one_publisher & (pl.col("date_start") != pl.col("date_start_other")).fill_null(False)
    # A publisher does not report one death twice: its later report of a single death is
    # another incident unless it updates the earlier on the same day. Another publisher's
    # report of the one death ties them.
    single_death_again = (pl.col("value") == 1) & one_publisher
    # An update restates its day: the summaries one register wrote of two days are two
    # incidents, whichever toll is higher.
    same_day = pl.col("date_start") == pl.col("date_start_other")
    ties = (
        pairs.with_columns(
            pl.when(one_publication | one_publisher_two_days)
            .then(None)
            .when((pl.col("value") == pl.col("value_other")) & ~single_death_again)
            .then(pl.format("both report {} {}", "casualty_type", "value"))
            .when(one_publisher & same_day & (earlier_first | later_first))
            .then(pl.format("{} updates its own report on {}", "publisher", "casualty_type"))
            .when((rising & ~one_publisher).fill_null(False))
            .then(pl.format("{} rises between reports, {} then {}", "casualty_type",
                            pl.min_horizontal("value", "value_other"), pl.max_horizontal("value", "value_other")))
            .alias("_tie")
        )
        .filter(pl.col("_tie").is_not_null())
        .group_by("event_key", "story_id", "story_id_other")
        .agg(pl.col("_tie").sort().str.join(", ").alias("_shared"))
    )
    clusters = _connected(stories, ties, ["event_key"], "story_id", "story_id_other")
    shared = (
        ties.join(clusters, on=["event_key", "story_id"])
        .group_by("event_key", "_cluster")
        .agg(
            pl.format("stories {} and {}: {}", "story_id", "story_id_other", "_shared").sort().str.join("; ").alias("_shared")
        )
    )
    return (
        grouped.join(clusters, on=["event_key", "story_id"])
        .join(shared, on=["event_key", "_cluster"], how="left")
        .with_columns(
            pl.format("{}|{}", "event_key", "_cluster").alias("event_key"),
            pl.when(pl.col("_shared").is_not_null())
            .then(pl.format("{}; {}", "clue", "_shared"))
            .otherwise(pl.col("clue"))
            .alias("clue"),
        )
        .drop("_cluster", "_shared")
    )


def _connected(nodes: pl.DataFrame, links: pl.DataFrame, group: list[str], node: str, other: str) -> pl.DataFrame:
    """`nodes` with _cluster: each node labelled with the smallest node it is linked to,
    directly or through other nodes of its group, by the `links` (node, other) of that group."""
    edges = pl.concat(
        [
            links.select(*group, node, pl.col(other).alias("_neighbour")),
            links.select(*group, pl.col(other).alias(node), pl.col(node).alias("_neighbour")),
        ]
    )
    labels = nodes.with_columns(pl.col(node).alias("_cluster"))
    while True:
        spread = (
            edges.join(labels, left_on=[*group, "_neighbour"], right_on=[*group, node])
            .group_by(*group, node)
            .agg(pl.col("_cluster").min().alias("_from_neighbours"))
        )
        updated = labels.join(spread, on=[*group, node], how="left").with_columns(
            pl.min_horizontal("_cluster", "_from_neighbours").alias("_cluster")
        ).drop("_from_neighbours")
        if updated.join(labels, on=[*group, node, "_cluster"], how="anti").is_empty():
            return labels
        labels = updated


def _adopt_family_by_day(days: pl.DataFrame) -> pl.DataFrame:
    """Fill an unstated kind from the one family reported at the site that day, else the day before or after."""
    known = days.filter(pl.col("family").is_not_null()).select("site", "hist", "date_start", "family").unique()
    same_day = known.group_by("site", "hist", "date_start").agg(
        pl.col("family").n_unique().alias("_same_n"), pl.col("family").min().alias("_same_family")
    )
    near_days = (
        known.with_columns(
            pl.concat_list(pl.col("date_start") - _ONE_DAY, pl.col("date_start"), pl.col("date_start") + _ONE_DAY).alias("_day")
        )
        .explode("_day")
        .group_by("site", "hist", "_day")
        .agg(pl.col("family").n_unique().alias("_near_n"), pl.col("family").min().alias("_near_family"))
    )
    return (
        days.join(same_day, on=["site", "hist", "date_start"], how="left")
        .join(near_days, left_on=["site", "hist", "date_start"], right_on=["site", "hist", "_day"], how="left")
        .with_columns(
            pl.coalesce(
                "family",
                pl.when(pl.col("_same_n") == 1).then(pl.col("_same_family")),
                pl.when(pl.col("_same_n").is_null() & (pl.col("_near_n") == 1)).then(pl.col("_near_family")),
            ).alias("family")
        )
        .drop("_same_n", "_same_family", "_near_n", "_near_family")
    )


def _group_periods(periods: pl.DataFrame) -> pl.DataFrame:
    # Unstated kinds adopt the one family among the periods they overlap, then periods
    # of one site and family chain by overlap.
    spans = _with_runs(periods, ["site", "hist"], "date_start", "date_end", tolerance_days=0)
    families = (
        spans.filter(pl.col("family").is_not_null())
        .group_by("site", "hist", "run_start")
        .agg(pl.col("family").n_unique().alias("_n"), pl.col("family").min().alias("_only"))
    )
    adopted = (
        spans.join(families, on=["site", "hist", "run_start"], how="left")
        .with_columns(pl.coalesce("family", pl.when(pl.col("_n") == 1).then(pl.col("_only"))).alias("family"))
        .drop("_n", "_only", "run_start", "run_end")
    )
    runs = _with_runs(adopted, ["site", "hist", "family"], "date_start", "date_end", tolerance_days=0)
    # A publisher's reports of two periods (an agency's weekly digests of the shelling of one
    # region, each up to its own day) are two tolls of two periods: each such story keeps
    # an event of its own period, while other publishers' reports chain as before.
    run_keys = ["site", "hist", "family", "run_start"]
    story_periods = runs.group_by(*run_keys, "story_id").agg(
        pl.col("publisher").drop_nulls().first(), pl.col("date_start").min().alias("_own_start"), pl.col("date_end").max().alias("_own_end")
    )
    serial = (
        story_periods.filter(pl.col("publisher").is_not_null())
        .with_columns(pl.struct("_own_start", "_own_end").n_unique().over(*run_keys, "publisher").alias("_periods"))
        .filter(pl.col("_periods") > 1)
        .select(*run_keys, "story_id", "_own_start", "_own_end")
    )
    own_period = pl.col("_own_start").is_not_null()
    return (
        runs.join(serial, on=[*run_keys, "story_id"], how="left", nulls_equal=True)
        .with_columns(
            pl.when(own_period)
            .then(pl.format("{}|{}|{}", _event_key(pl.col("run_start")), "_own_start", "_own_end"))
            .otherwise(_event_key(pl.col("run_start")))
            .alias("event_key"),
            pl.when(own_period)
            .then(
                pl.format(
                    "same place ({}), {}, the period from {} to {} of one of {}'s reports of several periods",
                    "site",
                    pl.col("family").fill_null("kind unstated"),
                    "_own_start",
                    "_own_end",
                    "publisher",
                )
            )
            .otherwise(
                pl.format(
                    "same place ({}), {}, periods overlapping from {} to {}",
                    "site",
                    pl.col("family").fill_null("kind unstated"),
                    "run_start",
                    "run_end",
                )
            )
            .alias("clue"),
        )
        .drop("run_start", "run_end", "_own_start", "_own_end")
    )


def _event_places(grouped: pl.DataFrame) -> pl.DataFrame:
    """One row per event: the place and kind it was grouped on, and its date span.

    Region mentions attached to a city event carry the region's site and may lack a
    kind, so the event's own site is its most precise one and its family the stated one."""
    return grouped.group_by("event_key").agg(
        pl.col("site").sort_by("level_rank").first(),
        pl.col("level").sort_by("level_rank").first(),
        pl.col("region_key").drop_nulls().first(),
        pl.col("hist").first(),
        pl.col("family").drop_nulls().first(),
        pl.col("is_period").first(),
        pl.col("date_start").min(),
        pl.col("date_end").max(),
    )


def _compatible_kind(left: str, right: str) -> pl.Expr:
    return pl.col(left).is_null() | pl.col(right).is_null() | (pl.col(left) == pl.col(right))


def _group_regions(regions: pl.DataFrame, placed: pl.DataFrame) -> pl.DataFrame:
    """Region mentions join their region's one overlapping city event, else group among themselves."""
    day = pl.date_ranges("date_start", "date_end").alias("_day")
    city_events = (
        _event_places(placed)
        .filter((pl.col("level") == "city") & pl.col("region_key").is_not_null())
        .select("event_key", "region_key", "hist", "is_period", pl.col("family").alias("_event_family"), day)
        .explode("_day")
    )
    # One publisher's reports written at one time are separate stories (see
    # _split_untied_stories): a register's region-level summary is not its city summary.
    publication = pl.format("{}|{}", "publisher", pl.col("reported_at").cast(pl.String).fill_null(""))
    same_publication = placed.select("event_key", publication.alias("_publication")).unique()
    candidates = (
        regions.select("mention_id", "story_id", "site", "hist", "is_period", "family", day, publication.alias("_publication"))
        .explode("_day")
        .join(city_events, left_on=["site", "hist", "is_period", "_day"], right_on=["region_key", "hist", "is_period", "_day"])
        .filter(_compatible_kind("family", "_event_family"))
        .join(same_publication, on=["event_key", "_publication"], how="anti")
        .select("mention_id", "story_id", "site", "event_key")
        .unique()
    )
    candidates = _same_toll_in_states(candidates, regions, placed).select("mention_id", "event_key")
    attached = (
        candidates.group_by("mention_id")
        .agg(pl.len().alias("_n"), pl.col("event_key").first())
        .filter(pl.col("_n") == 1)
        .drop("_n")
    )
    joined = regions.join(attached, on="mention_id").with_columns(
        pl.format("story {} places it only in region {}, where this is the one event on its days", "story_id", "site").alias("clue")
    )
    alone = _group_dated(regions.join(attached, on="mention_id", how="anti"))
    return pl.concat([joined, alone], how="diagonal_relaxed").select(placed.columns)


def _stated_tolls(mentions: pl.DataFrame, key: str) -> pl.DataFrame:
    """Per `key`: the highest killed and injured totals its headline and body state (0 for none)."""
    totals = mentions.filter(
        pl.col("victim_group").is_null() & pl.col("value").is_not_null() & ~pl.col("is_claim")
        & pl.col("segment").is_in(PRIMARY_SEGMENTS).fill_null(True)
    )
    return (
        mentions.select(key)
        .unique()
        .join(
            totals.group_by(key).agg(
                pl.col("value").filter(pl.col("casualty_type") == type_).max().alias(f"_{type_}") for type_ in ("killed", "injured")
            ),
            on=key,
            how="left",
        )
        .with_columns(pl.col("_killed", "_injured").fill_null(0))
    )


def _same_toll_in_states(candidates: pl.DataFrame, stories: pl.DataFrame, events: pl.DataFrame) -> pl.DataFrame:
    """The candidate joins of a story placed only in a region (`site`) to a city event
    (`event_key`), less those in a state (of a country of states) whose story does not state
    the event's killed and injured: a state is too wide to meet its one town event of the
    day by place alone (a state story of another town's shooting, or of the same shooting
    counted otherwise), while a province's tally at war is the day's strikes there."""
    story_tolls = _stated_tolls(stories, "story_id")
    event_tolls = _stated_tolls(events, "event_key")
    in_state = pl.col("site").str.split(":").list.get(1, null_on_oob=True).is_in(list(state_country_codes()))
    same_toll = (pl.col("_killed") == pl.col("_killed_event")) & (pl.col("_injured") == pl.col("_injured_event"))
    return (
        candidates.join(story_tolls, on="story_id")
        .join(event_tolls, on="event_key", suffix="_event")
        .filter(~in_state | same_toll)
        .drop("_killed", "_injured", "_killed_event", "_injured_event")
    )


def _group_windows(windows: pl.DataFrame, day_groups: pl.DataFrame) -> pl.DataFrame:
    """A story dated only to a week joins the one day event at its place, of a compatible
    kind, that falls in that week (a follow-up naming the victims of Saturday's shooting);
    its week then says nothing of the event's dates. A story that fits several such events
    stays apart and is listed in `other_events`. One that fits none groups as a report of its
    publication day, the most likely day of its week, so stories published days apart are
    never chained into one event by their overlapping weeks; a week the text names ('this
    week') groups by the period rules."""
    events = (
        _event_places(day_groups)
        .filter(~pl.col("is_period"))
        .select("event_key", "site", "region_key", "hist", pl.col("family").alias("_event_family"), "date_start", "date_end")
    )
    units = windows.select("story_id", "site", "hist", "family", "date_start", "date_end").unique()
    unit_keys = ["story_id", "site", "hist", "family", "date_start", "date_end"]
    # A region-level story meets the city events of its region.
    by_site = units.join(events.drop("region_key"), on=["site", "hist"], suffix="_event")
    by_region = _same_toll_in_states(
        units.join(
            events.drop("site").filter(pl.col("region_key").is_not_null()),
            left_on=["site", "hist"],
            right_on=["region_key", "hist"],
            suffix="_event",
        ),
        windows,
        day_groups,
    )
    candidates = (
        pl.concat([by_site, by_region], how="diagonal_relaxed")
        .filter(
            _compatible_kind("family", "_event_family")
            & (pl.col("date_start_event") <= pl.col("date_end"))
            & (pl.col("date_end_event") >= pl.col("date_start"))
        )
        .group_by(unit_keys)
        .agg(pl.col("event_key").unique().sort().alias("_fits"), pl.col("date_start_event").min().alias("_day"))
    )
    placed = windows.join(candidates, on=unit_keys, how="left", nulls_equal=True)
    attached = placed.filter(pl.col("_fits").list.len() == 1).with_columns(
        pl.col("_fits").list.first().alias("event_key"),
        pl.format(
            "story {} names no day, only {} to {}: the one {} event at {} in that week, on {}",
            "story_id",
            "date_start",
            "date_end",
            pl.col("family").fill_null("compatible"),
            "site",
            "_day",
        ).alias("clue"),
        pl.lit(False).alias("keeps_dates"),
    )
    publication_week = (pl.col("event_date_basis") == "publication").fill_null(False)
    unplaced = placed.filter(pl.col("_fits").list.len().fill_null(0) != 1).drop("_fits", "_day").with_columns(
        pl.when(publication_week).then(pl.col("date_end")).otherwise(pl.col("date_start")).alias("date_start")
    )
    alone = _group_dated(unplaced).join(placed.select("mention_id", pl.col("_fits").alias("other_events")), on="mention_id")
    return pl.concat([attached.drop("_fits", "_day"), alone], how="diagonal_relaxed")


def _group_undated(undated: pl.DataFrame, dated_groups: pl.DataFrame) -> pl.DataFrame:
    """Undated mentions join the one event at their place with a compatible kind, else
    form, per story, an undated event of their own."""
    events = _event_places(dated_groups)
    # An event answers to its own site and, for a place inside a region, to the region.
    place_keys = pl.concat(
        [
            events.select("event_key", "hist", "family", pl.col("site").alias("place")),
            events.filter(pl.col("region_key").is_not_null() & (pl.col("region_key") != pl.col("site"))).select(
                "event_key", "hist", "family", pl.col("region_key").alias("place")
            ),
        ]
    )
    # Counting events per place and family keeps the join linear: a busy city has many
    # events but few families.
    per_family = place_keys.group_by("place", "hist", "family").agg(
        pl.len().alias("_n"), pl.col("event_key").min().alias("_only")
    )
    units = undated.select("story_id", "site", "hist", "family").unique()
    unit_keys = ["story_id", "site", "hist", "family"]
    attached_units = (
        units.join(per_family.rename({"family": "_event_family"}), left_on=["site", "hist"], right_on=["place", "hist"])
        .filter(_compatible_kind("family", "_event_family"))
        .group_by(unit_keys)
        .agg(pl.col("_n").sum().alias("_n"), pl.col("_only").first().alias("_attached_key"))
        .filter(pl.col("_n") == 1)
        .drop("_n")
    )
    own_key = pl.format(
        "{}|{}|{}|undated|{}",
        pl.when(pl.col("hist")).then(pl.lit("historical")).otherwise(pl.lit("current")),
        pl.col("site"),
        pl.col("family").fill_null(""),
        pl.col("story_id"),
    )
    return undated.join(attached_units, on=unit_keys, how="left", nulls_equal=True).select(
        "mention_id",
        pl.coalesce("_attached_key", own_key).alias("event_key"),
        pl.when(pl.col("_attached_key").is_not_null())
        .then(pl.format("story {} gives no date: the one event at {} of a compatible kind", "story_id", "site"))
        .otherwise(pl.format("undated reports of story {} at {}", "story_id", "site"))
        .alias("clue"),
    )


def _events(assigned: pl.DataFrame, quiet: pl.DataFrame) -> pl.DataFrame:
    """One row per event; `quiet` (event_id, doc_id, clue) adds the documents of stories tied
    to it that state no figure (_quiet_reports)."""
    place_columns = ("location", "geonameid", "country_code", "admin1", "latitude", "longitude")
    # The most precise place wins, then the one most mentions name; min() keeps ties stable.
    place = (
        assigned.group_by("event_id", "site")
        .agg(pl.len().alias("_n"), pl.col("level_rank").min(), *(pl.col(name).min() for name in place_columns))
        .sort(["event_id", "level_rank", "_n", "site"], descending=[False, False, True, False])
        .group_by("event_id", maintain_order=True)
        .first()
        # The contract names no place for a country-wide event, whatever the extractor wrote.
        .with_columns(
            pl.when(pl.col("level_rank") != PLACE_LEVEL_RANK["country"]).then(pl.col("location")).alias("location")
        )
        .select("event_id", *place_columns)
    )
    precision_names = {rank: name for name, rank in DATE_PRECISION_RANK.items()}
    basis_names = {rank: name for name, rank in DATE_BASIS_RANK.items()}
    # A date the reports name outranks a publication week; an event known only from reports
    # that name no day is dated to its first report's day (the end of that report's week).
    # The most precise dates named outrank the rest: a report's 'in July' or 'this month'
    # says nothing against another's day, and its first of the month is no start.
    estimated = (pl.col("event_date_basis") == "publication").fill_null(False)
    precision_rank = pl.col("event_date_precision").replace_strict(DATE_PRECISION_RANK, default=None, return_dtype=pl.Int32)
    named = pl.col("date_start").is_not_null() & ~estimated
    most_precise = named & (precision_rank.fill_null(0) == precision_rank.fill_null(0).filter(named).min())
    summary = assigned.group_by("event_id").agg(
        pl.col("date_start").filter(most_precise).min(),
        pl.col("date_end").filter(most_precise).max(),
        pl.col("date_end").filter(pl.col("date_start").is_not_null() & estimated).min().alias("_first_report_day"),
        precision_rank.filter(most_precise).max().alias("_precision_rank"),
        pl.col("event_date_basis")
        .fill_null("text")
        .replace_strict(DATE_BASIS_RANK, return_dtype=pl.Int32)
        .filter(pl.col("date_start").is_not_null())
        .min()
        .alias("_basis_rank"),
        pl.col("doc_id").unique().alias("_documents"),
        # Reports without a publisher are one source at least: an event is never sourceless.
        pl.max_horizontal(pl.col("publisher").drop_nulls().n_unique(), pl.lit(1)).alias("n_sources"),
        pl.col("reported_at").min().alias("first_reported_at"),
        pl.col("reported_at").max().alias("last_reported_at"),
        pl.col("clue").unique().alias("_clues"),
    )
    # Reports tied across days (by names or a toll) that name days further apart than one night:
    # the day most documents name dates the event (ties: the first), not the first day named,
    # which may be a misread or another incident's day.
    day_votes = (
        assigned.filter(most_precise.over("event_id") & (precision_rank == DATE_PRECISION_RANK["day"]))
        .group_by("event_id", "date_start")
        .agg(pl.col("doc_id").n_unique().alias("_documents"))
        .sort(["event_id", "_documents", "date_start"], descending=[False, True, False])
        .group_by("event_id", maintain_order=True)
        .first()
        .select("event_id", pl.col("date_start").alias("_voted_day"))
    )
    summary = (
        summary.join(day_votes, on="event_id", how="left")
        .with_columns(
            pl.when((pl.col("_precision_rank") == DATE_PRECISION_RANK["day"]) & ((pl.col("date_end") - pl.col("date_start")) > _ONE_DAY))
            .then(pl.struct(date_start=pl.col("_voted_day"), date_end=pl.col("_voted_day")))
            .otherwise(pl.struct("date_start", "date_end"))
            .struct.unnest()
        )
        .drop("_voted_day")
    )
    quiet_documents = quiet.group_by("event_id").agg(pl.col("doc_id").alias("_quiet_documents"), pl.col("clue").alias("_quiet_clues"))
    summary = (
        summary.join(quiet_documents, on="event_id", how="left")
        .with_columns(
            pl.concat_list("_documents", pl.col("_quiet_documents").fill_null([])).list.unique().list.len().cast(pl.Int32).alias("n_documents"),
            pl.concat_list("_clues", pl.col("_quiet_clues").fill_null([])).list.unique().list.sort().list.join("; ").alias("_all_clues"),
        )
        # Why its documents are one event; a single document needs no reason.
        .with_columns(pl.when(pl.col("n_documents") > 1).then(pl.col("_all_clues")).alias("merged_on"))
        .drop("_documents", "_clues", "_quiet_documents", "_quiet_clues", "_all_clues")
    )
    # The kind most documents use: one report with many figures must not outvote the rest.
    kind = (
        assigned.filter(pl.col("attack_kind").is_not_null())
        .group_by("event_id", "attack_kind")
        .agg(pl.col("doc_id").n_unique().alias("_documents"), pl.len().alias("_mentions"))
        .sort(["event_id", "_documents", "_mentions", "attack_kind"], descending=[False, True, True, False])
        .group_by("event_id", maintain_order=True)
        .first()
        .select("event_id", pl.col("attack_kind").alias("kind"))
    )
    return (
        summary.with_columns(
            pl.coalesce("date_start", "_first_report_day").alias("date_start"),
            pl.coalesce("date_end", "_first_report_day").alias("date_end"),
            pl.coalesce(
                pl.col("_precision_rank").replace_strict(precision_names, default=None, return_dtype=pl.String),
                pl.when(pl.col("_first_report_day").is_not_null()).then(pl.lit("week")),
            ).alias("date_precision"),
            pl.col("_basis_rank").replace_strict(basis_names, default=None, return_dtype=pl.String).alias("date_basis"),
        )
        .join(place, on="event_id", how="left")
        .join(kind, on="event_id", how="left")
        .sort("event_id")
    )


def _claims(assigned: pl.DataFrame) -> pl.DataFrame:
    return assigned.filter(pl.col("is_claim")).with_columns(
        # The contract needs a claimant; the attribution is the next best name for the party.
        pl.coalesce("claimant", "attributed_to", pl.lit("unknown party")).alias("claimant")
    )
