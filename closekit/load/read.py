"""Reading and staging period files: each file read (by worker threads, a
few files ahead) and handed to the stager, or its file-level problems kept."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor

from closekit import progress
from closekit.errors import Problem
from closekit.io import RawTable, read_table
from closekit.load.folder import PeriodFile
from closekit.validate.columns import required_of
from closekit.validate.stage import StagedFile, Stager
from closekit.workspace import Settings


def _file_problems(raw: RawTable, module: str) -> list[Problem]:
    """File-level problems: unreadable file, or a required column missing
    (SPEC section 5: reported on row 1; every row of the file is rejected)."""
    problems = list(raw.problems)
    if not problems:
        problems += [
            Problem(raw.path, 1, column, "required column is missing")
            for column in required_of(module)
            if column not in raw.columns
        ]
    return problems


# Files read ahead by worker threads while the current one is staged.
READ_AHEAD = 2


def _read_ahead(settings: Settings, files: list[PeriodFile]) -> Iterator[RawTable]:
    """Each file as read, in order, while the next ones are read by worker
    threads (Arrow kernels and DuckDB release the GIL); at most READ_AHEAD
    files wait in memory."""
    with ThreadPoolExecutor(max_workers=READ_AHEAD) as pool:
        pending: deque[Future[RawTable]] = deque()
        for f in files:
            pending.append(pool.submit(read_table, f.path, f.relative, settings.input_encoding))
            if len(pending) > READ_AHEAD:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def stage_files(
    stager: Stager,
    settings: Settings,
    files: list[PeriodFile],
    seqs: dict[str, int],
    entities: frozenset[str] | None,
) -> tuple[dict[str, int], dict[str, list[Problem]]]:
    """Read and stage ``files`` (only ``entities``' rows when given): rows
    read and file-level problems by file."""
    read: dict[str, int] = {}
    file_problems: dict[str, list[Problem]] = {}
    for f, raw in zip(files, _read_ahead(settings, files), strict=True):
        read[f.relative] = raw.read
        progress.advance(raw.read)  # rows per second on a terminal
        problems = _file_problems(raw, f.module)
        if problems:
            file_problems[f.relative] = problems
        else:
            stager.add(
                StagedFile(
                    seqs[f.relative], f.period, f.relative, f.module, f.sha256, raw, entities
                )
            )
    stager.flush()
    return read, file_problems
