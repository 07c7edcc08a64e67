"""Which entities of which periods a post rebuilds, and what they were posted from.

An entity's lines of a period depend only on its own source rows of the
period and the basis: master data, settings, the code, and the earlier
periods' journals (when each was last posted). ``posted_entity`` keeps, per
period and entity, the source fingerprint and the basis its lines were
posted from, so that a period posted again on the same basis rebuilds only
the entities whose rows changed.

The temporary table ``post_scope (period, entity)`` holds the pairs being
posted; :mod:`closekit.post.lines` reads it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from closekit import __version__, revalue
from closekit.db import engine
from closekit.master import sha256_file
from closekit.workspace import SETTINGS_FILE, Settings

if TYPE_CHECKING:
    import duckdb

# Per period of $periods (from $first to $last) and per entity, what its
# lines are posted from: its accepted source rows, identified by their
# lineage (a file version and a row number fix a row's content), as a row
# count and an order-free hash.
SOURCE_FINGERPRINTS = """
SELECT p.period, e.entity, coalesce(s.source_rows, 0) || ':' || coalesce(s.lineage, 0) AS source
FROM unnest($periods::VARCHAR[]) p(period)
CROSS JOIN entity e
LEFT JOIN (
    SELECT period, entity, count(*) AS source_rows,
           sum(hash(path, sha256, row_no)::HUGEINT) AS lineage
    FROM source_row WHERE period BETWEEN $first AND $last
    GROUP BY period, entity
) s ON s.period = p.period AND s.entity = e.entity
"""

# The entities of $period whose source fingerprint differs from the one
# their lines were last posted from (all of them for a first post).
_CHANGED_ENTITIES = f"""
SELECT c.entity
FROM ({SOURCE_FINGERPRINTS}) c
LEFT JOIN posted_entity p ON p.period = c.period AND p.entity = c.entity
WHERE p.source IS DISTINCT FROM c.source
"""


def _code() -> str:
    """The posting code's own source: a changed rule in development never
    keeps old lines."""
    digest = hashlib.sha256()
    folder = Path(__file__).parent
    for module_file in [*sorted(folder.glob("*.py")), Path(revalue.__file__)]:
        digest.update(module_file.read_bytes())
    return digest.hexdigest()


def bases(
    settings: Settings, con: duckdb.DuckDBPyConnection, periods: Sequence[str]
) -> dict[str, str]:
    """Per period, what posts every entity's lines besides its own rows:
    master data (rules, accounts, rates), settings, the code (closekit and
    DuckDB versions, the posting modules' source), and the earlier periods'
    journals (when each was last posted)."""
    toml = settings.root / SETTINGS_FILE
    common = {
        "closekit": __version__,
        "duckdb": engine().__version__,
        "code": _code(),
        "settings": sha256_file(toml) if toml.is_file() else "",
        "master": con.execute("SELECT path, sha256 FROM master_file ORDER BY path").fetchall(),
    }
    posted = con.execute(
        "SELECT period, posted_at::VARCHAR FROM period_status WHERE period < ? ORDER BY period",
        [max(periods)],
    ).fetchall()
    found: dict[str, str] = {}
    for period in periods:
        earlier = [[p, at] for p, at in posted if p < period]
        inputs = {**common, "earlier": earlier}
        found[period] = hashlib.sha256(json.dumps(inputs, sort_keys=True).encode()).hexdigest()
    return found


def _incremental(con: duckdb.DuckDBPyConnection, period: str, basis: str) -> bool:
    """Whether the period's journal may be kept for the entities whose rows did
    not change: every entity's lines were posted on this same basis and are
    all still there."""
    stored = con.execute(
        """SELECT count(*) = (SELECT count(*) FROM entity)
                  AND bool_and(p.basis = $basis AND p.lines = coalesce(j.lines, 0))
           FROM posted_entity p
           JOIN entity e USING (entity)
           LEFT JOIN (SELECT entity, count(*) AS lines FROM journal
                      WHERE period = $period GROUP BY entity) j USING (entity)
           WHERE p.period = $period""",
        {"basis": basis, "period": period},
    ).fetchone()
    return bool(stored and stored[0])


def fill_scope(
    con: duckdb.DuckDBPyConnection, periods: Sequence[str], basis: str, full: bool
) -> dict[str, tuple[str, ...]]:
    """Fill ``post_scope`` with the pairs to post and return the entities
    per period: every entity of every period, except in the first period
    when it was posted before on ``basis`` (its own) and not ``full``: only
    the entities whose source rows changed there.

    The later periods are posted in full: their basis includes the first
    period's posting time, which this post changes.
    """
    first, *later = periods
    con.execute("CREATE OR REPLACE TEMP TABLE post_scope (period VARCHAR, entity VARCHAR)")
    if full or not _incremental(con, first, basis):
        con.execute("INSERT INTO post_scope SELECT ?, entity FROM entity", [first])
    else:
        con.execute(
            f"INSERT INTO post_scope SELECT $first, entity FROM ({_CHANGED_ENTITIES})",
            {"periods": [first], "first": first, "last": first},
        )
    if later:
        con.execute(
            "INSERT INTO post_scope SELECT p.period, e.entity"
            " FROM unnest(?::VARCHAR[]) p(period) CROSS JOIN entity e",
            [later],
        )
    rows = con.execute("SELECT period, entity FROM post_scope ORDER BY period, entity").fetchall()
    return {p: tuple(e for q, e in rows if q == p) for p in periods}
