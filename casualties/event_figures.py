"""An event's figures from the reports reconciliation grouped into it: each figure's low,
best and high from the most trusted tier of its mentions (a stated toll over victims named one
by one, headline and body over captions, numbers over vague words), a tied follow-up's rise,
the wounded who later died taken out, attackers added to totals, totals derived from groups,
and the conflicts between reports (casualties.reconcile groups the reports; this module
only reads them)."""

import polars as pl

AFFILIATION_GROUPS = ("civilians", "protesters", "security_forces", "military", "perpetrators")
PRIMARY_SEGMENTS = ("headline", "body")
# A tied follow-up's higher toll is a rise (a victim who died in hospital) only when it is
# published in the days just after the first report (months later it counts a string of
# shootings) and dates what it counts within a few days of their days (a sidebar's toll is
# of another week's shooting; 'a fourth victim has died' is dated by the death, days later).
RISING_TOLL_DAYS = 7
RISING_TOLL_DATE_DAYS = 3


def figures_of_events(reports: pl.DataFrame, policy: str) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Each event's figures from its reports (no claims), and its figures as reported, before
    a total is raised to its largest group: conflicts are found on those."""
    stated = _wounded_less_the_dead(
        _with_perpetrators_in_totals(_stated_figures(_without_wounded_who_died(_anchor_figures(reports)), policy)), policy
    )
    reported = stated.drop("_named_victims", "_all_shot")
    stated = _totals_at_least_their_largest_group(stated).drop("_named_victims", "_all_shot")
    return pl.concat([stated, _derived_totals(stated, policy)], how="diagonal_relaxed"), reported


def _with_mention_bounds(reports: pl.DataFrame) -> pl.DataFrame:
    vague = pl.col("value").is_null()
    lowest = pl.when(pl.col("qualifier") == "more_than").then(pl.col("value")).otherwise(pl.coalesce("value_low", "value"))
    return reports.with_columns(
        pl.col("victim_group").fill_null("total").alias("victim_group_key"),
        pl.when(vague).then(pl.col("value_low")).otherwise(lowest).alias("_low"),
        pl.when(vague)
        .then(pl.col("value_low"))
        .otherwise(pl.max_horizontal(pl.coalesce("value_high", "value"), lowest))
        .alias("_high"),
        pl.when(vague).then(pl.col("value_low")).otherwise(pl.max_horizontal("value", lowest)).alias("_point"),
        # 0: a toll stated in the headline or body, 1: victims named one by one there,
        # 2 and 3: the same from a caption or embedded post, 4 to 7: vague.
        (
            vague.cast(pl.Int32) * 4
            + (~pl.col("segment").is_in(PRIMARY_SEGMENTS)).fill_null(False).cast(pl.Int32) * 2
            + (pl.col("counts_named_victims") | pl.col("counts_all_shot")).fill_null(False).cast(pl.Int32)
        ).alias("_tier"),
    )


FIGURE_KEY = ["event_id", "casualty_type", "victim_group_key"]


def _eligible(bounded: pl.DataFrame) -> pl.DataFrame:
    """The mentions that set each figure: those of its most trusted tier."""
    return bounded.filter(pl.col("_tier") == pl.col("_tier").min().over(FIGURE_KEY))


def _anchor_figures(reports: pl.DataFrame) -> pl.DataFrame:
    """The reports that give an event's figures: a report tied in by names or by its toll
    only (_join_named_stories, _join_same_toll_days) gives a casualty type its event's anchor
    states none of, and a killed count above every count of the anchor's when it is published
    after the first of them, within RISING_TOLL_DAYS, and dates what it counts within
    RISING_TOLL_DATE_DAYS of their days: the next day's 'three people died' of Thursday's
    'one person dead' is the toll risen.

    And of events tied by names, where one part (an event before the tie) states its killed
    and no injured, a count of people shot no greater than that part's killed is the killed
    victims' ('Daija McCall had been shot' of the girl another report says died): it is
    dropped. A count of wounded says they survived ('brother wounded'): it stays."""
    parts = (
        reports.filter(pl.col("tie_part").is_not_null())
        .group_by("event_id", "tie_part")
        .agg(
            pl.col("value").filter(pl.col("casualty_type") == "killed").max().alias("_killed"),
            (pl.col("casualty_type") == "injured").any().alias("_injured"),
        )
    )
    killed_only = (
        parts.filter((pl.col("_killed").fill_null(0) > 0) & ~pl.col("_injured"))
        .group_by("event_id")
        .agg(pl.col("_killed").max())
    )
    shot_victims = (
        reports.join(killed_only, on="event_id")
        .filter((pl.col("casualty_type") == "injured") & pl.col("counts_all_shot").fill_null(False) & (pl.col("value") <= pl.col("_killed")))
        .select("mention_id")
    )
    reports = reports.join(shot_victims, on="mention_id", how="anti")
    point = pl.max_horizontal("value", "value_low")
    anchored = (
        reports.filter(~pl.col("name_tied"))
        .group_by("event_id", "casualty_type")
        .agg(
            point.max().alias("_anchor_highest"),
            pl.col("date_start").min().alias("_anchor_start"),
            pl.col("date_end").max().alias("_anchor_end"),
            pl.col("reported_at").min().alias("_anchor_first_reported"),
            pl.lit(True).alias("_anchored"),
        )
    )
    tied = reports.filter(pl.col("name_tied")).join(anchored, on=["event_id", "casualty_type"], how="left")
    rising = (
        (pl.col("casualty_type") == "killed")
        & (pl.col("reported_at") > pl.col("_anchor_first_reported"))
        & (pl.col("reported_at") <= pl.col("_anchor_first_reported") + pl.duration(days=RISING_TOLL_DAYS))
        & (pl.col("date_start") <= pl.col("_anchor_end") + pl.duration(days=RISING_TOLL_DATE_DAYS))
        & (pl.col("date_end") >= pl.col("_anchor_start") - pl.duration(days=RISING_TOLL_DATE_DAYS))
        & (point > pl.col("_anchor_highest"))
    ).fill_null(False)
    return pl.concat(
        [
            reports.filter(~pl.col("name_tied")),
            tied.filter(pl.col("_anchored").is_null() | rising).drop(
                "_anchor_highest", "_anchor_start", "_anchor_end", "_anchor_first_reported", "_anchored"
            ),
        ]
    )


def _without_wounded_who_died(reports: pl.DataFrame) -> pl.DataFrame:
    """A count of wounded made before some of them died counts the dead too: 'four men were
    wounded' in an event whose reports say three died and one was wounded. A count of
    wounded whose sentence states k dead, in an event whose victims' toll is K > k, is taken
    out of its figure when a report no earlier than it states the wounded left by those K - k
    deaths as a toll of their own: that lower count is the later news, where an earlier
    report's is a first tally that rose with the dead ('18 injured', then '9 dead, 34
    injured')."""
    bounded = _with_mention_bounds(reports)
    total = pl.col("victim_group").is_null()
    sentence = ["story_id", "segment_id", "char_start"]
    killed = bounded.filter(pl.col("casualty_type") == "killed")
    event_dead = _eligible(killed.filter(total)).group_by("event_id").agg(pl.col("_point").max().alias("_dead"))
    # Any death the sentence states, of any group ('wounded five, killing an unborn baby').
    sentence_dead = killed.group_by(sentence).agg(pl.col("_point").max().alias("_sentence_dead"))
    injured = bounded.filter((pl.col("casualty_type") == "injured") & total)
    stated_tolls = injured.filter(pl.col("_tier") == 0).select(
        "event_id",
        pl.col("_point").alias("_survivors"),
        pl.col("reported_at").alias("_survivors_reported_at"),
        *(pl.col(column).alias(f"_survivors_{column}") for column in sentence),
    )
    died_later = pl.col("_dead") - pl.col("_sentence_dead").fill_null(0)
    counted_before = (
        injured.join(event_dead, on="event_id")
        .join(sentence_dead, on=sentence, how="left")
        .filter(died_later > 0)
        .with_columns((pl.col("_point") - died_later).alias("_survivors"))
        .join(stated_tolls, on=["event_id", "_survivors"])
        # An earlier report's lower count is a first tally that rose, not the survivors; a
        # count in the same sentence is a part of it ('four were wounded, three critically').
        .filter((pl.col("_survivors_reported_at") >= pl.col("reported_at")).fill_null(True))
        .filter(~pl.all_horizontal(pl.col(column).eq_missing(pl.col(f"_survivors_{column}")) for column in sentence))
    )
    return reports.join(counted_before.select("mention_id"), on="mention_id", how="anti")


def _stated_figures(reports: pl.DataFrame, policy: str) -> pl.DataFrame:
    bounded = _with_mention_bounds(reports)
    counts = bounded.group_by(FIGURE_KEY).agg(pl.len().alias("n_mentions"))
    figures = _eligible(bounded).group_by(FIGURE_KEY).agg(
        pl.col("victim_group").first(),
        pl.col("_low").min().alias("low"),
        pl.col("_point").max().alias("_highest_point"),
        pl.col("_high").max().alias("high"),
        pl.col("counts_named_victims").fill_null(False).all().alias("_named_victims"),
        # The figure is a count of people shot when its highest point is one ('four were
        # shot' beside 'a man was wounded'), and no mention of as many says they are the
        # wounded ('the baby was shot' beside 'the other victim suffered gunshot wounds').
        pl.col("counts_all_shot").fill_null(False).filter(pl.col("_point") == pl.col("_point").max()).all().alias("_all_shot"),
    )
    best = pl.col("low") if policy == "conservative" else pl.col("_highest_point")
    return (
        figures.join(counts, on=FIGURE_KEY)
        .with_columns(best.alias("best"), pl.lit(policy).alias("policy"))
        .drop("_highest_point")
    )


def _with_perpetrators_in_totals(stated: pl.DataFrame) -> pl.DataFrame:
    """A stated toll counts the victims ('the gunman killed three people'); the attackers
    killed or wounded ('before killing himself', 'the gunman was shot dead') are added to
    it, as the curated databases keep their totals. Their own figure, victim group
    'perpetrators', lets an analyst take them out again. A total of victims named one by
    one takes no attackers named so ('he shot himself and died' names one person twice),
    and a list of them may hold the attackers it names ('nine soldiers, six militants'); one
    victim named alone takes a count of several attackers ('an officer was killed ... troops
    killed about 20 militants'), where one attacker counted may be the one named ('one
    suspect is dead ... John Doe died of a gunshot wound')."""
    perpetrators = stated.filter(pl.col("victim_group") == "perpetrators").select(
        "event_id",
        "casualty_type",
        pl.col("_named_victims").alias("_perpetrators_named"),
        *(pl.col(column).alias(f"_perpetrators_{column}") for column in ("low", "best", "high")),
    )
    if perpetrators.is_empty():
        return stated
    one_named_beside_counted_attackers = (
        (pl.col("best") == 1) & ~pl.col("_perpetrators_named").fill_null(True) & (pl.col("_perpetrators_low").fill_null(0) >= 2)
    )
    is_total = pl.col("victim_group").is_null() & (~pl.col("_named_victims") | one_named_beside_counted_attackers)
    return (
        stated.join(perpetrators, on=["event_id", "casualty_type"], how="left")
        .with_columns(
            pl.when(is_total & pl.col(f"_perpetrators_{column}").is_not_null())
            .then(pl.col(column) + pl.col(f"_perpetrators_{column}"))
            .otherwise(pl.col(column))
            .alias(column)
            for column in ("low", "best", "high")
        )
        .drop(*(f"_perpetrators_{column}" for column in ("low", "best", "high")), "_perpetrators_named")
    )


def _wounded_less_the_dead(stated: pl.DataFrame, policy: str) -> pl.DataFrame:
    """'Four people were shot' counts the dead among them: where only such counts give an
    event's wounded, the wounded are those shot less the event's dead, and so for a group
    ('two children were shot', 'a child died'). As many dead as shot leaves none: 'John Doe
    was shot' in one report and 'he died at the hospital' in it or in another are one victim,
    who died. More dead than shot says the counts are of other people. What is left counts
    the wounded, no more those shot: a group's may raise its total."""
    # The event's dead are its total, stated or made of its groups ('a boy was killed').
    dead = (
        pl.concat([stated, _derived_totals(stated, policy)], how="diagonal_relaxed")
        .filter(pl.col("casualty_type") == "killed")
        .select("event_id", "victim_group_key", pl.col("best").alias("_dead"))
    )
    shot = (pl.col("casualty_type") == "injured") & pl.col("_all_shot")
    applies = pl.col("_applies")
    return (
        stated.join(dead, on=["event_id", "victim_group_key"], how="left")
        # Decided once, on the counts as stated: the subtraction below changes `best`.
        .with_columns((shot & pl.col("_dead").is_not_null() & (pl.col("_dead") <= pl.col("best"))).alias("_applies"))
        .with_columns(
            pl.when(applies).then(pl.col(column) - pl.col("_dead")).otherwise(pl.col(column)).alias(column)
            for column in ("best", "high")
        )
        # A lower count stated beside them (a wounded man named alone) stays the lowest.
        .with_columns(
            pl.when(applies).then(pl.min_horizontal("low", "best")).otherwise(pl.col("low")).alias("low"),
            (pl.col("_all_shot") & ~applies).alias("_all_shot"),
        )
        .drop("_dead", "_applies")
    )


def _totals_at_least_their_largest_group(stated: pl.DataFrame) -> pl.DataFrame:
    """A total counts every group it has: below one of them ('a man was shot' beside 'two
    officers were wounded'), it takes that group's figure. Only a group counting those hurt
    or killed (not 'two children were shot', which counts the dead too) and not the
    perpetrators (already added to a stated toll) raises it; groups are not summed here,
    as they overlap (a woman may be an officer too)."""
    largest_group = (
        stated.filter(
            pl.col("victim_group").is_not_null() & (pl.col("victim_group") != "perpetrators") & ~pl.col("_all_shot")
        )
        .group_by("event_id", "casualty_type")
        .agg(*(pl.col(column).max().alias(f"_group_{column}") for column in ("low", "best", "high")))
    )
    is_total = pl.col("victim_group").is_null()
    return (
        stated.join(largest_group, on=["event_id", "casualty_type"], how="left")
        .with_columns(
            pl.when(is_total & (pl.col("_group_best") > pl.col("best")))
            .then(pl.max_horizontal(column, f"_group_{column}"))
            .otherwise(pl.col(column))
            .alias(column)
            for column in ("low", "best", "high")
        )
        .drop(f"_group_{column}" for column in ("low", "best", "high"))
    )


def _derived_totals(stated: pl.DataFrame, policy: str) -> pl.DataFrame:
    """Totals for types reported only by victim group; see the module docstring."""
    stated_totals = stated.filter(pl.col("victim_group").is_null()).select("event_id", "casualty_type")
    groups = stated.filter(pl.col("victim_group").is_not_null()).join(
        stated_totals, on=["event_id", "casualty_type"], how="anti"
    )
    affiliation = pl.col("victim_group").is_in(AFFILIATION_GROUPS)

    def without_double_counting(column: str) -> pl.Expr:
        return pl.max_horizontal(
            pl.col(column).filter(affiliation).sum(), pl.col(column).filter(~affiliation).max()
        ).alias(column)

    derived = groups.group_by("event_id", "casualty_type").agg(
        without_double_counting("low"),
        without_double_counting("best"),
        without_double_counting("high"),
        pl.col("n_mentions").sum(),
    )
    if policy == "conservative":
        derived = derived.with_columns(pl.col("low").alias("best"))
    return derived.with_columns(
        pl.lit(None, dtype=pl.String).alias("victim_group"),
        pl.lit("total").alias("victim_group_key"),
        pl.lit(policy).alias("policy"),
    )


def conflicts(reports: pl.DataFrame, stated: pl.DataFrame, ratio_threshold: float) -> pl.DataFrame:
    return pl.concat(
        [
            _groups_above_total(stated),
            _sources_lowered(reports),
            _ratios_exceeded(reports, ratio_threshold),
            _fits_several_events(reports),
        ],
        how="diagonal_relaxed",
    ).sort([*FIGURE_KEY, "kind"])


def _groups_above_total(stated: pl.DataFrame) -> pl.DataFrame:
    totals = stated.filter(pl.col("victim_group").is_null()).select(
        "event_id", "casualty_type", pl.col("best").alias("_total")
    )
    groups = stated.filter(pl.col("victim_group").is_not_null()).join(totals, on=["event_id", "casualty_type"])
    one_group = groups.filter(pl.col("best") > pl.col("_total")).select(
        "event_id",
        "casualty_type",
        "victim_group",
        "victim_group_key",
        pl.lit("group_exceeds_total").alias("kind"),
        pl.format(
            "{} {} {} exceeds the total {} {}", "casualty_type", "victim_group", "best", "casualty_type", "_total"
        ).alias("details"),
    )
    affiliation_sums = (
        groups.filter(pl.col("victim_group").is_in(AFFILIATION_GROUPS))
        .sort("victim_group")
        .group_by("event_id", "casualty_type")
        .agg(
            pl.len().alias("_n"),
            pl.col("best").sum().alias("_sum"),
            pl.col("_total").first(),
            pl.format("{} {}", "victim_group", "best").str.join(" + ").alias("_terms"),
        )
        .filter((pl.col("_n") >= 2) & (pl.col("_sum") > pl.col("_total")))
        .select(
            "event_id",
            "casualty_type",
            pl.lit("total").alias("victim_group_key"),
            pl.lit("groups_exceed_total").alias("kind"),
            pl.format(
                "{} {} = {} exceeds the total {} {}", "casualty_type", "_terms", "_sum", "casualty_type", "_total"
            ).alias("details"),
        )
    )
    return pl.concat([one_group, affiliation_sums], how="diagonal_relaxed")


def _sources_lowered(reports: pl.DataFrame) -> pl.DataFrame:
    """A publisher's later report stating less than one of its earlier reports.

    Only the publisher's own words count (headline, body): captions and embedded posts
    quote others, often an earlier count."""
    keys = [*FIGURE_KEY, "publisher"]
    own_words = pl.col("segment").is_in(PRIMARY_SEGMENTS).fill_null(True)
    per_report = (
        reports.filter(
            own_words & pl.col("value").is_not_null() & pl.col("publisher").is_not_null() & pl.col("reported_at").is_not_null()
        )
        .with_columns(pl.col("victim_group").fill_null("total").alias("victim_group_key"))
        .group_by([*keys, "reported_at"])
        .agg(pl.col("victim_group").first(), pl.col("value").min().alias("_min"), pl.col("value").max().alias("_max"))
        .sort([*keys, "reported_at"])
        .with_columns(pl.col("_max").cum_max().shift(1).over(keys).alias("_earlier_max"))
    )
    return (
        per_report.filter(pl.col("_min") < pl.col("_earlier_max"))
        .group_by(FIGURE_KEY, maintain_order=True)
        .agg(
            pl.col("victim_group").first(),
            pl.format(
                "{} reported {} {}, then {} at {}",
                "publisher",
                "_earlier_max",
                pl.col("casualty_type"),
                "_min",
                pl.col("reported_at").dt.strftime("%Y-%m-%d %H:%M"),
            )
            .str.join("; ")
            .alias("details"),
        )
        .with_columns(pl.lit("source_lowered").alias("kind"))
    )


def _ratios_exceeded(reports: pl.DataFrame, ratio_threshold: float) -> pl.DataFrame:
    spread = (
        _eligible(_with_mention_bounds(reports))
        .filter(pl.col("_point").is_not_null())
        .group_by(FIGURE_KEY)
        .agg(
            pl.col("victim_group").first(),
            pl.col("_point").min().alias("_min"),
            pl.col("_point").max().alias("_max"),
        )
    )
    far_apart = (pl.col("_max") > pl.col("_min") * ratio_threshold) | ((pl.col("_min") == 0) & (pl.col("_max") > 0))
    return spread.filter(far_apart).select(
        *FIGURE_KEY,
        "victim_group",
        pl.lit("ratio_exceeded").alias("kind"),
        pl.format(
            "{} reports range from {} to {}, more than {} times apart",
            "casualty_type",
            "_min",
            "_max",
            pl.lit(f"{ratio_threshold:g}"),
        ).alias("details"),
    )


def _fits_several_events(reports: pl.DataFrame) -> pl.DataFrame:
    """Reports left in an event of their own because they fit several (see _group_windows)."""
    return (
        reports.filter(pl.col("other_events").is_not_null())
        .with_columns(pl.col("victim_group").fill_null("total").alias("victim_group_key"))
        .group_by(FIGURE_KEY)
        .agg(
            pl.col("victim_group").first(),
            pl.format("story {} fits events {}", "story_id", pl.col("other_events").list.join(", "))
            .unique()
            .sort()
            .str.join("; ")
            .alias("details"),
        )
        .with_columns(pl.lit("fits_several_events").alias("kind"))
    )
