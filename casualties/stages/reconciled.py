"""Stage reconciled: mentions grouped into events, block by block, with their figures and links."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

import duckdb
import polars as pl

from casualties.db import ensure_tables, insert_frame, row_count, scalar, utc_now, writing
from casualties.names import (
    COUNTY_KINDS,
    MAX_DAY_NAME_DOCUMENTS,
    MAX_NAME_DOCUMENTS,
    MIN_DAY_NAMES,
    MIN_INDEPENDENT_NAMES,
    MIN_NAMES_WITHOUT_PERSON,
    MIN_NAMES_WITHOUT_PERSON_LATER,
    MIN_SHARED_NAMES,
    NAME_TIE_DAYS,
    STREET_KINDS,
)
from casualties.event_figures import PRIMARY_SEGMENTS
from casualties.reconcile import MIN_SAME_TOLL, QUIET_REPORT_DAYS
from casualties.tables import EVENTS, RECONCILED_BLOCKS, TABLES_BY_NAME


RECONCILED_TABLES = ("events", "event_figures", "event_documents", "event_claims", "event_conflicts", "figure_history", "mention_events")
# Whole blocks are read and reconciled together up to this many mentions (more only when
# one block alone is bigger): memory follows this, not the corpus.
MENTIONS_PER_READ = 20_000
SHARED_SITES_BLOCK = "shared-sites"

# Pairs of stories of two documents that share names found in at most MAX_NAME_DOCUMENTS
# documents (casualties.names), with the names, how many independent names they are
# (independent_names_sql) and, where it is the day that ties them, the day. Names alone tie
# two stories when one of them is a person-like pair of words ("tyrell quarles"): at least
# MIN_SHARED_NAMES names when published within NAME_TIE_DAYS days of each other, at least MIN_INDEPENDENT_NAMES independent names (a single word of a shared pair is
# not one) at any distance, or the pair alone (or two rare words) when both stories state the
# same toll of MIN_SAME_TOLL people or more (the trial report years later; the toll is then
# part of shared_names). Rare single words alone tie them when there are MIN_NAMES_WITHOUT_PERSON of
# them within NAME_TIE_DAYS days (a victim's first name, the street, the hospital),
# MIN_NAMES_WITHOUT_PERSON_LATER at any distance. Any rare name, or MIN_DAY_NAMES names found
# in at most MAX_DAY_NAME_DOCUMENTS documents, tie two stories that report an incident on one
# day or the next (the day of a current mention of one, and the day or the week up to its
# publication that a story naming no day has of the other, or the QUIET_REPORT_DAYS days up
# to its publication of a story stating no figure, the news of those days, and with
# MIN_DAY_NAMES names the QUIET_PLACE_DAYS days up to it): a street, a venue or a victim
# named in both, whatever town, neighbourhood or county each places it in. A story stating no
# figure and one whose figures name no day, published a day apart, tie by a rare name as well:
# neither names the day, but both are news of the same few days. A first name both
# stories give in different full names ('natasha archer', 'natasha johnwell') is not shared,
# nor such a last name. A street two stories name ('harrison-street') is one name, whether or
# not each also names it by its bare word; found in up to MAX_DAY_NAME_DOCUMENTS documents, it ties
# two stories reporting one day as one rare name does (a city's street is named in the reports
# of its other days' incidents); so does a county two stories name ('rankin-county'), which,
# with its bare word, is otherwise no name of theirs: a county is the place of many incidents.
# A story naming no town ties by the toll it states and its day
# (MIN_UNPLACED_TOLL, and a name however common unless the toll is of MIN_UNNAMED_TOLL people),
# with no independent names.
# Reconciliation merges their events wherever each is placed and dated. A rare name is in few
# stories by construction, so joining on it compares no other pairs.
PUBLISHED_DATE_SOURCES = ('metadata', 'page_timestamp')
# An article stating no figure reports an incident of the weeks up to its publication: by
# the town its headline names (QUIET_PLACE_TIES_SQL), or by names it shares with a report of
# those weeks (NAME_TIES_SQL).
QUIET_PLACE_DAYS = 28
# A report naming no town (its figures placed nowhere, or only in the country: 'four people were
# shot early Saturday', a newsroom writing for its own city) and an article stating the same
# toll of at least this many people, killed and injured alike, for a day both report (one
# whose figures have no date reports the QUIET_REPORT_DAYS days up to its publication), sharing a
# name however common (the city in 'Charlotte-Mecklenburg police'), are reports of one incident,
# unless the reports of that toll and day name two towns (NAME_TIES_SQL): one person killed is
# an incident of every city every day, several shot on one day are few.
MIN_UNPLACED_TOLL = 3
# A toll of this many people, the same killed and the same injured, is rare enough on one day
# that the two reports need share no name: a wire's 'one dead, four hurt at a party overnight'
# names no one the town's newsroom names.
MIN_UNNAMED_TOLL = 5


def independent_names_sql(names: str) -> str:
    """The SQL count of the persons, places and things the list of names `names` stands for
    ('lee jundt', 'jundt', 'subway': two): each person-like pair, and each single name not a
    word of one of those pairs (the surname beside its pair is the same person again)."""
    pairs = f"list_filter({names}, lambda name: contains(name, ' '))"
    pair_words = f"flatten(list_transform({pairs}, lambda pair: string_split(pair, ' ')))"
    return f"(len({pairs}) + len(list_filter({names}, lambda name: NOT contains(name, ' ') AND NOT list_contains({pair_words}, name))))"


# A county ('rankin-county') is keyed by its kind as a street is, and ties two stories of one day as a street does.
SITE_KINDS = STREET_KINDS + COUNTY_KINDS


def each_street_once_sql(names: str) -> str:
    """The SQL list of names `names` less each word that a street or county named in it bears
    ('harrison' beside 'harrison-street'): a story naming the street names it once."""
    kinds = "[" + ", ".join(f"'{kind}'" for kind in SITE_KINDS) + "]"
    return f"list_filter({names}, lambda name: NOT list_has_any(list_transform({kinds}, lambda kind: name || '-' || kind), {names}))"


def streets_sql(names: str) -> str:
    """The SQL list of the streets and counties among the names `names` ('harrison-street', 'rankin-county')."""
    return f"list_filter({names}, lambda name: regexp_matches(name, '-({'|'.join(SITE_KINDS)})$'))"


# A given name written short is at least this long ('Don' for 'Donald', 'Chris' for 'Christopher').
MIN_SHORT_GIVEN_NAME = 3


def any_one_person_sql(pairs: str, other_pairs: str) -> str:
    """The SQL test that some person-like pair of the list `pairs` names a person of the list
    `other_pairs`: the same pair, or one surname whose given names are one the short form of the
    other ('don meyer', 'donald meyer')."""
    given, other_given = "string_split(pair, ' ')[1]", "string_split(other, ' ')[1]"
    short_form = (
        f"string_split(pair, ' ')[-1] = string_split(other, ' ')[-1]"
        f" AND least(length({given}), length({other_given})) >= {MIN_SHORT_GIVEN_NAME}"
        f" AND (starts_with({given}, {other_given}) OR starts_with({other_given}, {given}))"
    )
    return (
        f"(len(list_filter({pairs}, lambda pair: len(list_filter({other_pairs}, "
        f"lambda other: pair = other OR ({short_form}))) > 0)) > 0)"
    )


NAME_TIES_SQL = f"""
    WITH story_pairs AS (
        SELECT story_id, list(name) AS pairs FROM story_names WHERE contains(name, ' ') GROUP BY story_id
    ), named AS (
        SELECT n.story_id, n.name, s.doc_id, s.published_at, s.date_source,
            count(DISTINCT s.doc_id) OVER (PARTITION BY n.name) AS name_documents,
            -- The pairs a single word begins or ends: 'natasha' of 'natasha archer'.
            list_filter(coalesce(p.pairs, []), lambda pair: string_split(pair, ' ')[1] = n.name) AS first_of,
            list_filter(coalesce(p.pairs, []), lambda pair: string_split(pair, ' ')[-1] = n.name) AS last_of
        FROM story_names AS n JOIN stories AS s USING (story_id) LEFT JOIN story_pairs AS p USING (story_id)
    ), shared AS (
        SELECT a.story_id, b.story_id AS story_id_other, any_value(a.doc_id) AS doc_id, any_value(b.doc_id) AS doc_id_other,
            coalesce(list(a.name ORDER BY a.name) FILTER (WHERE a.name_documents <= {MAX_NAME_DOCUMENTS}), []) AS names,
            list(a.name ORDER BY a.name) AS day_names,
            any_value(abs(date_diff('day', a.published_at, b.published_at))) AS days_apart
        FROM named AS a JOIN named AS b ON a.name = b.name AND a.story_id < b.story_id
        WHERE a.name_documents <= {MAX_DAY_NAME_DOCUMENTS} AND a.doc_id <> b.doc_id
            -- The day a publisher gives: a register's summaries carry only the incident's day
            -- in their text, and its entries are separate incidents whatever names they share.
            AND a.date_source IN {PUBLISHED_DATE_SOURCES} AND b.date_source IN {PUBLISHED_DATE_SOURCES}
            -- A first name (or a last name) that each story gives in a full name the other does
            -- not have ('natasha archer', 'natasha johnwell') names two people; a word first in
            -- one story's pair and last in the other's ('fredrick marquise') may be one name
            -- written two ways, and so is one given name written short in the other ('don meyer',
            -- 'donald meyer').
            AND NOT (
                NOT {any_one_person_sql('list_concat(a.first_of, a.last_of)', 'list_concat(b.first_of, b.last_of)')}
                AND ((len(a.first_of) > 0 AND len(b.first_of) > 0) OR (len(a.last_of) > 0 AND len(b.last_of) > 0))
            )
        GROUP BY a.story_id, b.story_id
    ), streets_once AS (
        -- A county (and its bare word) is a place of many incidents: it ties only stories
        -- reporting one day (day_ties), as a street does.
        SELECT * REPLACE (
            list_filter({each_street_once_sql('names')}, lambda name: NOT regexp_matches(name, '-({'|'.join(COUNTY_KINDS)})$')) AS names,
            {each_street_once_sql('day_names')} AS day_names
        ) FROM shared
    ), tolls AS (
        SELECT story_id,
            coalesce(max(value) FILTER (WHERE casualty_type = 'killed'), 0) AS killed,
            coalesce(max(value) FILTER (WHERE casualty_type = 'injured'), 0) AS injured
        FROM extracted_mentions
        WHERE victim_group IS NULL AND coalesce(segment IN {PRIMARY_SEGMENTS}, true)
            AND NOT coalesce(is_aggregate, false) AND NOT coalesce(is_claim, false)
        GROUP BY story_id
    ), counted AS (
        SELECT s.*, list_filter(names, lambda name: contains(name, ' ')) AS pairs,
            {independent_names_sql('names')} AS independent_names,
            CASE WHEN a.killed + a.injured >= {MIN_SAME_TOLL} AND a.killed = b.killed AND a.injured = b.injured
                THEN format(' and the toll, killed {{}} and injured {{}}', a.killed, a.injured) END AS same_toll
        FROM streets_once AS s LEFT JOIN tolls AS a ON a.story_id = s.story_id LEFT JOIN tolls AS b ON b.story_id = s.story_id_other
    ), weighed AS (
        SELECT story_id, story_id_other, doc_id, doc_id_other, names, day_names, independent_names, (len(pairs) >= 1 AND (
            (len(names) >= {MIN_SHARED_NAMES} AND days_apart <= {NAME_TIE_DAYS}) OR independent_names >= {MIN_INDEPENDENT_NAMES}
        )) OR (len(names) >= {MIN_NAMES_WITHOUT_PERSON} AND days_apart <= {NAME_TIE_DAYS})
            OR len(names) >= {MIN_NAMES_WITHOUT_PERSON_LATER} AS names_tie,
            -- One person, or two rare words, named in both and the same toll stated by both: the
            -- trial report years later.
            CASE WHEN len(pairs) >= 1 OR len(names) >= 2 THEN same_toll END AS toll_tie
        FROM counted
    ), stated_days AS (
        SELECT DISTINCT story_id, event_date AS first_day, coalesce(event_date_end, event_date) AS last_day,
            event_date_precision = 'day' AS names_the_day,
            -- Figures that name no day are news of the days up to their story's publication.
            CASE WHEN event_date_basis = 'publication' THEN coalesce(event_date_end, event_date) END AS news_day,
            CASE WHEN event_date_basis = 'publication' THEN 'undated figures' END AS news_of
        FROM extracted_mentions
        WHERE event_date IS NOT NULL AND event_date_precision IN ('day', 'week')
            AND NOT coalesce(is_historical, false) AND NOT coalesce(is_aggregate, false)
    ), quiet_stories AS (
        SELECT story_id, CAST(published_at AS DATE) AS published_day
        FROM stories AS s
        WHERE date_source IN {PUBLISHED_DATE_SOURCES}
            AND NOT EXISTS (SELECT 1 FROM extracted_mentions AS m WHERE m.story_id = s.story_id)
    ), story_days AS (
        SELECT *, 1 AS min_names FROM stated_days
        UNION ALL
        -- A story stating no figure is news of the days just before its publication, and tied
        -- by more names (a suspect sought, an arrest) of the weeks before it.
        SELECT story_id, published_day - {QUIET_REPORT_DAYS - 1}, published_day, false, published_day, 'no figure', 1 FROM quiet_stories
        UNION ALL
        SELECT story_id, published_day - {QUIET_PLACE_DAYS - 1}, published_day, false, NULL, NULL, {MIN_DAY_NAMES} FROM quiet_stories
    ), day_ties AS (
        SELECT c.story_id, c.story_id_other, min(greatest(a.first_day, b.first_day)) AS shared_day
        FROM weighed AS c JOIN story_days AS a ON a.story_id = c.story_id JOIN story_days AS b ON b.story_id = c.story_id_other
        -- Two weeks of stories naming no day overlap whenever they were published days apart.
        WHERE (len(c.names) >= greatest(a.min_names, b.min_names) OR len(c.day_names) >= {MIN_DAY_NAMES}
            -- A street both name is one of few of the city's incidents' reports: it is named in
            -- other days' stories, not on that day in two of other incidents.
            OR (greatest(a.min_names, b.min_names) = 1 AND len({streets_sql('c.day_names')}) >= 1))
            -- A story stating no figure and one whose figures name no day, published a day
            -- apart, are news of the same few days.
            AND (a.names_the_day OR b.names_the_day OR (a.news_of <> b.news_of AND abs(date_diff('day', a.news_day, b.news_day)) <= 1))
            AND a.first_day <= b.last_day + INTERVAL 1 DAY AND b.first_day <= a.last_day + INTERVAL 1 DAY
        GROUP BY c.story_id, c.story_id_other
    ), toll_stories AS (
        -- Stories of articles with a headline over a body, published on a known day, stating a toll
        -- of several people, and the towns and regions their figures are placed in.
        SELECT t.story_id, s.doc_id, CAST(a.published_at AS DATE) AS published_day, t.killed, t.injured,
            coalesce(list(DISTINCT coalesce(CAST(m.geonameid AS VARCHAR), lower(m.location)))
                FILTER (WHERE m.location_precision IN ('city', 'region')), []) AS towns
        FROM tolls AS t JOIN stories AS s USING (story_id) JOIN stories AS a ON a.doc_id = s.doc_id AND a.seq = 0
            JOIN extracted_mentions AS m ON m.story_id = t.story_id
        WHERE t.killed + t.injured >= {MIN_UNPLACED_TOLL} AND a.title IS NOT NULL AND a.text <> a.title
            AND a.date_source IN {PUBLISHED_DATE_SOURCES}
        GROUP BY t.story_id, s.doc_id, a.published_at, t.killed, t.injured
    ), toll_story_days AS (
        SELECT story_id, first_day, last_day, names_the_day FROM stated_days
        UNION ALL
        -- A story whose figures have no date is news of the days just before its publication.
        SELECT story_id, published_day - {QUIET_REPORT_DAYS - 1}, published_day, false
        FROM toll_stories WHERE story_id NOT IN (SELECT story_id FROM stated_days)
    ), unplaced_toll_days AS (
        SELECT a.story_id AS unplaced, b.story_id AS other, a.doc_id, b.doc_id AS doc_id_other, a.killed, a.injured, b.towns,
            min(greatest(x.first_day, y.first_day)) AS shared_day
        FROM toll_stories AS a JOIN toll_stories AS b ON a.killed = b.killed AND a.injured = b.injured AND a.doc_id <> b.doc_id
            JOIN toll_story_days AS x ON x.story_id = a.story_id JOIN toll_story_days AS y ON y.story_id = b.story_id
        WHERE len(a.towns) = 0 AND (x.names_the_day OR y.names_the_day)
            AND x.first_day <= y.last_day + INTERVAL 1 DAY AND y.first_day <= x.last_day + INTERVAL 1 DAY
            AND (a.killed + a.injured >= {MIN_UNNAMED_TOLL}
                OR EXISTS (SELECT 1 FROM story_names AS n JOIN story_names AS o USING (name) WHERE n.story_id = a.story_id AND o.story_id = b.story_id))
        GROUP BY ALL
    ), two_towns AS (
        SELECT unplaced FROM (SELECT unplaced, unnest(towns) AS town FROM unplaced_toll_days) GROUP BY unplaced HAVING count(DISTINCT town) > 1
    ), unplaced_toll_ties AS (
        SELECT DISTINCT least(unplaced, other) AS story_id, greatest(unplaced, other) AS story_id_other,
            format('no town named, and the toll, killed {{}} and injured {{}}', killed, injured) AS shared_names, shared_day,
            CASE WHEN unplaced < other THEN doc_id ELSE doc_id_other END AS doc_id,
            CASE WHEN unplaced < other THEN doc_id_other ELSE doc_id END AS doc_id_other, 0 AS independent_names
        FROM unplaced_toll_days WHERE unplaced NOT IN (SELECT unplaced FROM two_towns)
    ), name_ties AS (
    SELECT w.story_id, w.story_id_other,
        CASE WHEN w.names_tie THEN array_to_string(w.names, ', ')
            WHEN d.shared_day IS NOT NULL THEN array_to_string(w.day_names, ', ')
            ELSE array_to_string(w.names, ', ') || w.toll_tie END AS shared_names,
        CASE WHEN NOT w.names_tie THEN d.shared_day END AS shared_day, w.doc_id, w.doc_id_other,
        CASE WHEN NOT w.names_tie AND d.shared_day IS NOT NULL THEN {independent_names_sql('w.day_names')}
            ELSE w.independent_names END AS independent_names
    FROM weighed AS w LEFT JOIN day_ties AS d USING (story_id, story_id_other)
    WHERE w.names_tie OR d.shared_day IS NOT NULL OR w.toll_tie IS NOT NULL
    )
    SELECT * FROM name_ties
    UNION ALL
    SELECT * FROM unplaced_toll_ties AS u
    WHERE NOT EXISTS (SELECT 1 FROM name_ties AS n WHERE n.story_id = u.story_id AND n.story_id_other = u.story_id_other)
"""

# Articles that state no figure (no mention in any of their stories) whose headline or
# dateline names the town of a current day mention of another document, dated within the
# QUIET_PLACE_DAYS days up to the article's publication: the follow-up that names nobody
# and counts nothing ('Police seek gunman in Kokomo bar shooting') still says where and
# when. One row per (quiet story, mention), with whether the town's name is one of few
# articles' names (rare_place: MAX_NAME_DOCUMENTS; a city's name is none, casualties.names);
# casualties.reconcile decides which event, if any, the article reports. A headline needs a body under it: a text that is only a headline (a register's
# line, a wire headline) says too little to be tied by place and days alone. The headline
# stops at a dash or bar that opens the site's name ('... shooting - Channel 7 Springfield'),
# which names the station's town, not the incident's.
# A town's name is matched as a run of up to QUIET_PLACE_NAME_WORDS whole words of the
# headline (letters and digits only, lower-cased): an equality join, so each headline meets
# only the mentions of the towns it names, never every mention of its weeks.
QUIET_PLACE_NAME_WORDS = 4
QUIET_PLACE_TIES_SQL = f"""
    WITH quiet AS (
        SELECT s.story_id, s.doc_id, CAST(s.published_at AS DATE) AS published_day,
            lower(concat_ws(' ', regexp_replace(s.title, '\\s+[-|–—]\\s.*$', ''), s.dateline)) AS heading
        FROM stories AS s
        WHERE s.title IS NOT NULL AND s.text <> s.title AND s.date_source IN {PUBLISHED_DATE_SOURCES}
            AND NOT EXISTS (SELECT 1 FROM extracted_mentions AS m WHERE m.doc_id = s.doc_id)
    ), worded AS (
        SELECT *, string_split(trim(regexp_replace(heading, '[^\\pL\\pN]+', ' ', 'g')), ' ') AS words FROM quiet
    ), spans AS (
        SELECT *, unnest(generate_series(1, len(words))) AS first_word FROM worded
    ), named AS (
        SELECT story_id, doc_id, published_day, heading,
            array_to_string(words[first_word:first_word + unnest(generate_series(0, {QUIET_PLACE_NAME_WORDS - 1}))], ' ') AS name
        FROM spans
    ), town_days AS (
        SELECT mention_id, location, event_date,
            trim(regexp_replace(lower(location), '[^\\pL\\pN]+', ' ', 'g')) AS name
        FROM extracted_mentions
        WHERE location_precision = 'city' AND geonameid IS NOT NULL AND event_date_precision = 'day'
            AND NOT coalesce(is_historical, false) AND NOT coalesce(is_aggregate, false) AND NOT coalesce(is_claim, false)
    )
    SELECT DISTINCT q.story_id AS quiet_story_id, q.doc_id AS quiet_doc_id, q.heading, q.published_day, t.mention_id,
        t.location AS named_place,
        (SELECT count(DISTINCT s.doc_id) FROM story_names AS n JOIN stories AS s USING (story_id) WHERE n.name = t.name)
            BETWEEN 1 AND {MAX_NAME_DOCUMENTS} AS rare_place
    FROM named AS q JOIN town_days AS t
        ON t.name = q.name AND t.event_date BETWEEN q.published_day - INTERVAL {QUIET_PLACE_DAYS - 1} DAY AND q.published_day
"""

# Each mention's site, region and grouping block. Reconciliation compares mentions only at
# one site, and ties a site's events to their region (region-level and undated mentions
# of the region join them), so a mention's block is its region when it has one, else its
# site: no event ever takes mentions from two blocks. `site` and `region_key` are
# casualties.reconcile._prepare's, restated in SQL so that blocks are counted and
# fingerprinted inside DuckDB (tests/test_reconcile_blocks.py checks that the two agree),
# but for two coarsenings: every city named without a GeoNames id stands for all such
# cities of its country, since reconcile compares their names lower-cased and DuckDB's
# lower() and Polars' differ on some letters ('İ'); and a country's site holds its
# country-level mentions of every story, which reconcile splits by story for single days.
# A site whose mentions disagree on their region (a city named with its admin1 in one
# report and without in another) would tie two blocks together: every block any such
# site touches goes into the one block SHARED_SITES_BLOCK (rare: a single block is
# simpler than chasing chains of tied blocks). Stories tied by their names (NAME_TIES_SQL)
# tie every block either touches: such blocks, chained through ties, become one block
# named after the first of them. The chains are followed over blocks, not mentions, and
# each tie is between two of a rare name's few stories.
MENTION_BLOCKS_SQL = f"""
    WITH RECURSIVE levelled AS (
        SELECT mention_id, story_id, geonameid, country_code, admin1, location,
            CASE
                WHEN location_precision = 'country' AND country_code IS NOT NULL THEN 'country'
                WHEN location_precision = 'region' AND country_code IS NOT NULL AND admin1 IS NOT NULL THEN 'region'
                WHEN geonameid IS NOT NULL OR location IS NOT NULL THEN 'city'
                ELSE 'none'
            END AS level
        FROM extracted_mentions
    ), placed AS (
        SELECT mention_id, story_id,
            CASE
                WHEN level = 'country' THEN 'c:' || country_code
                WHEN level = 'region' THEN 'r:' || country_code || ':' || admin1
                WHEN geonameid IS NOT NULL THEN 'g:' || geonameid
                WHEN level = 'city' THEN 'l:' || coalesce(country_code, '')
                ELSE 's:' || story_id
            END AS site,
            CASE WHEN level IN ('city', 'region') AND country_code IS NOT NULL AND admin1 IS NOT NULL
                THEN 'r:' || country_code || ':' || admin1
            END AS region_key
        FROM levelled
    ), own AS (
        SELECT mention_id, story_id, site, region_key, coalesce(region_key, site) AS own_block FROM placed
    ), straddled AS (
        SELECT DISTINCT unnest(list(DISTINCT own_block)) AS own_block
        FROM own GROUP BY site HAVING count(DISTINCT own_block) > 1
    ), sited AS (
        SELECT mention_id, story_id, site, region_key,
            CASE WHEN own_block IN (SELECT own_block FROM straddled) THEN '{SHARED_SITES_BLOCK}' ELSE own_block END AS site_block
        FROM own
    ), story_blocks AS (
        SELECT DISTINCT story_id, site_block FROM sited
    ), name_links AS (
        SELECT a.site_block AS block, b.site_block AS other
        FROM ({NAME_TIES_SQL}) AS t
        JOIN story_blocks AS a ON a.story_id = t.story_id JOIN story_blocks AS b ON b.story_id = t.story_id_other
        WHERE a.site_block <> b.site_block
    ), linked AS (
        SELECT block, other FROM name_links UNION SELECT other, block FROM name_links
    ), reached(block, other) AS (
        SELECT DISTINCT block, block FROM linked
        UNION
        SELECT r.block, l.other FROM reached AS r JOIN linked AS l ON l.block = r.other
    ), chained AS (
        SELECT block, min(other) AS chain_block FROM reached GROUP BY block
    )
    SELECT s.mention_id, s.site, s.region_key, coalesce(c.chain_block, s.site_block) AS block
    FROM sited AS s LEFT JOIN chained AS c ON c.block = s.site_block
"""


def reconcile_events(
    conn: duckdb.DuckDBPyConnection, policy: str = "max_non_party", ratio_threshold: float = 3.0, full_refresh: bool = False
) -> dict[str, int]:
    """Reconcile the grouping blocks whose mentions changed, and link their mentions to their
    events in mention_events.

    A block whose fingerprint is unchanged is still redone when any of its mentions but a
    running total has no event (a database moved from the earlier single mentions table
    with some left unlinked).

    Every block is reconciled when the policy or ratio threshold differ from those recorded
    in reconciled_blocks, or when full_refresh. Since grouping never crosses a block (see
    MENTION_BLOCKS_SQL), the events of the blocks left alone are exactly those reconciling
    every mention would give. A failure leaves every table as it was (casualties.db.writing).
    """
    from casualties.reconcile import INPUT_COLUMNS

    ensure_tables(conn)
    conn.execute(f"CREATE OR REPLACE TEMP TABLE mention_blocks AS SELECT mention_id, block FROM ({MENTION_BLOCKS_SQL})")
    # A tie is in the block of its stories (MENTION_BLOCKS_SQL puts both in one), and a
    # changed tie, however its names became rare or common, redoes the block.
    conn.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE block_name_ties AS
        SELECT DISTINCT b.block, t.story_id, t.story_id_other, t.shared_names, t.shared_day, t.doc_id, t.doc_id_other, t.independent_names
        FROM ({NAME_TIES_SQL}) AS t JOIN extracted_mentions AS m ON m.story_id IN (t.story_id, t.story_id_other)
            JOIN mention_blocks AS b USING (mention_id)
        """
    )
    # An article whose headline names towns of two blocks is decided by neither (an event of
    # one block cannot see the other's), so it reports no event.
    conn.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE block_quiet_place_ties AS
        WITH tied AS (SELECT b.block, t.* FROM ({QUIET_PLACE_TIES_SQL}) AS t JOIN mention_blocks AS b USING (mention_id))
        SELECT * FROM tied
        WHERE quiet_story_id IN (SELECT quiet_story_id FROM tied GROUP BY quiet_story_id HAVING count(DISTINCT block) = 1)
        """
    )
    conn.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE block_inputs AS
        WITH ties AS (
            SELECT block, CAST(bit_xor(h) AS VARCHAR) AS ties_hash FROM (
                SELECT block, hash(story_id, story_id_other, shared_names, shared_day, doc_id, doc_id_other, independent_names) AS h FROM block_name_ties
                UNION ALL
                SELECT block, hash(quiet_story_id, quiet_doc_id, heading, published_day, mention_id, named_place, rare_place) FROM block_quiet_place_ties
            ) GROUP BY block
        )
        SELECT b.block, count(*) AS mention_count,
               CAST(bit_xor(hash({', '.join(f'm.{name}' for name in INPUT_COLUMNS)})) AS VARCHAR)
                   || coalesce(':' || any_value(ties.ties_hash), '') AS input_hash,
               count(*) FILTER (WHERE linked.event_id IS NULL AND NOT coalesce(m.is_aggregate, false)) AS unlinked_count
        FROM extracted_mentions AS m JOIN mention_blocks AS b USING (mention_id) LEFT JOIN ties USING (block)
        LEFT JOIN mention_events AS linked USING (mention_id)
        GROUP BY b.block
        """
    )
    rebuild = full_refresh or settings_changed(conn, policy, ratio_threshold)
    conn.execute(
        "CREATE OR REPLACE TEMP TABLE affected_blocks AS "
        + (
            "SELECT block FROM block_inputs"
            if rebuild
            else """
            SELECT coalesce(i.block, r.block) AS block
            FROM block_inputs AS i FULL JOIN reconciled_blocks AS r ON i.block = r.block
            WHERE i.block IS NULL OR r.block IS NULL OR i.mention_count <> r.mention_count OR i.input_hash <> r.input_hash
               OR i.unlinked_count > 0
            """
        )
    )
    try:
        counts = {
            "blocks_removed": 0 if rebuild else int(scalar(conn, "SELECT count(*) FROM affected_blocks WHERE block NOT IN (SELECT block FROM block_inputs)")),
            "blocks_unchanged": int(scalar(conn, "SELECT count(*) FROM block_inputs WHERE block NOT IN (SELECT block FROM affected_blocks)")),
            "blocks_reconciled": 0,
            "mentions_reconciled": 0,
        }
        # A rebuild writes fresh tables; an update replaces the affected blocks' rows in place.
        written = [TABLES_BY_NAME[name] for name in (*RECONCILED_TABLES, RECONCILED_BLOCKS.name)]
        with writing(conn, written, rebuild) as into:
            if not rebuild:
                delete_reconciled_blocks(conn)
            for blocks in block_groups(conn):
                counts["mentions_reconciled"] += reconcile_blocks(conn, blocks, policy, ratio_threshold, into)
                counts["blocks_reconciled"] += len(blocks)
            conn.execute(
                f"""
                INSERT INTO {into[RECONCILED_BLOCKS.name]}
                SELECT block, mention_count, input_hash, ?, ?, ? FROM block_inputs WHERE block IN (SELECT block FROM affected_blocks)
                """,
                [policy, ratio_threshold, utc_now()],
            )
    finally:
        for name in ("mention_blocks", "block_name_ties", "block_quiet_place_ties", "block_inputs", "affected_blocks"):
            conn.execute(f"DROP TABLE IF EXISTS {name}")
    return {**table_counts(conn, RECONCILED_TABLES), **counts}


def settings_changed(conn: duckdb.DuckDBPyConnection, policy: str, ratio_threshold: float) -> bool:
    """Whether the recorded blocks were reconciled otherwise, or events predate blocks."""
    recorded = conn.execute("SELECT DISTINCT policy, ratio_threshold FROM reconciled_blocks").fetchall()
    return recorded != [(policy, ratio_threshold)] or int(scalar(conn, "SELECT count(*) FROM events WHERE grouping_block IS NULL")) > 0


def delete_reconciled_blocks(conn: duckdb.DuckDBPyConnection) -> None:
    """Delete the affected blocks' events, with every row that hangs off them, and their records."""
    affected_events = "SELECT event_id FROM events WHERE grouping_block IN (SELECT block FROM affected_blocks)"
    for name in RECONCILED_TABLES:
        if name != EVENTS.name:
            conn.execute(f"DELETE FROM {name} WHERE event_id IN ({affected_events})")
    conn.execute("DELETE FROM events WHERE grouping_block IN (SELECT block FROM affected_blocks)")
    conn.execute("DELETE FROM reconciled_blocks WHERE block IN (SELECT block FROM affected_blocks)")


def block_groups(conn: duckdb.DuckDBPyConnection) -> Iterator[list[str]]:
    """The affected blocks that still have mentions, in groups of about MENTIONS_PER_READ mentions."""
    group: list[str] = []
    size = 0
    for block, mention_count in conn.execute(
        "SELECT block, mention_count FROM block_inputs WHERE block IN (SELECT block FROM affected_blocks) ORDER BY block"
    ).fetchall():
        if group and size + mention_count > MENTIONS_PER_READ:
            yield group
            group, size = [], 0
        group.append(block)
        size += mention_count
    if group:
        yield group


def reconcile_blocks(
    conn: duckdb.DuckDBPyConnection, blocks: list[str], policy: str, ratio_threshold: float, into: Mapping[str, str]
) -> int:
    """Reconcile the blocks' mentions and insert their event rows and links `into` the
    tables' names for this write."""
    from casualties.reconcile import INPUT_COLUMNS, reconcile

    mentions = conn.sql(
        f"""
        SELECT b.block, {', '.join(f'm.{name}' for name in INPUT_COLUMNS)}
        FROM extracted_mentions AS m JOIN mention_blocks AS b USING (mention_id)
        WHERE b.block IN (SELECT unnest($blocks))
        """,
        params={"blocks": blocks},
    ).pl()
    name_ties = conn.sql(
        "SELECT DISTINCT story_id, story_id_other, shared_names, shared_day, doc_id, doc_id_other, independent_names FROM block_name_ties WHERE block IN (SELECT unnest($blocks))",
        params={"blocks": blocks},
    ).pl()
    quiet_place_ties = conn.sql(
        "SELECT quiet_story_id, quiet_doc_id, heading, published_day, mention_id, named_place, rare_place FROM block_quiet_place_ties WHERE block IN (SELECT unnest($blocks))",
        params={"blocks": blocks},
    ).pl()
    result = reconcile(mentions, policy=policy, ratio_threshold=ratio_threshold, name_ties=name_ties, quiet_place_ties=quiet_place_ties)
    event_blocks = (
        result.mention_events.join(mentions.select("mention_id", "block"), on="mention_id")
        .select("event_id", pl.col("block").alias("grouping_block"))
        .unique()
    )
    # An event whose mentions lay in two blocks would appear twice here and break the events key.
    frames = {**result.tables(), EVENTS.name: result.events.drop("grouping_block").join(event_blocks, on="event_id")}
    for name in RECONCILED_TABLES:
        insert_frame(conn, TABLES_BY_NAME[name], frames[name], into[name])
    return mentions.height


def table_counts(conn: duckdb.DuckDBPyConnection, names: Iterable[str]) -> dict[str, int]:
    return {name: row_count(conn, name) for name in names}
