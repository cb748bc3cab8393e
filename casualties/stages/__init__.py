"""Each stage as one plain function on a DuckDB connection: read upstream, transform, write.

A stage's tables change all at once or not at all (`casualties.db.writing`), so a failed
run leaves the database as it was: an update in one transaction, a rebuild (a full refresh,
or the first build) in staging tables swapped in at the end. Rows stream through in
batches; no stage holds a whole table in Python.

One module a stage (raw, cleaned, extracted, reconciled), and `slices` for reading tables
slice by slice, which they share.
"""

from casualties.stages.cleaned import build_stories
from casualties.stages.extracted import MIN_STORIES_PER_PROCESS, extract_mentions
from casualties.stages.raw import RawLoad, load_raw
from casualties.stages.reconciled import (
    MENTION_BLOCKS_SQL,
    NAME_TIES_SQL,
    QUIET_PLACE_TIES_SQL,
    RECONCILED_TABLES,
    SHARED_SITES_BLOCK,
    reconcile_events,
)

__all__ = [
    "MENTION_BLOCKS_SQL",
    "MIN_STORIES_PER_PROCESS",
    "NAME_TIES_SQL",
    "QUIET_PLACE_TIES_SQL",
    "RECONCILED_TABLES",
    "SHARED_SITES_BLOCK",
    "RawLoad",
    "build_stories",
    "extract_mentions",
    "load_raw",
    "reconcile_events",
]
