"""The ``paperbot`` command line: every question the bot answers, scriptable with ``--json``.

This is also the composition root: settings and the catalog are built here and handed down,
nothing is read from the environment at import time.
"""

from __future__ import annotations

import logging
import os
import random
import signal
import sys
from pathlib import Path

import click
from dotenv import load_dotenv

from bot import render_text
from bot.cli_common import (
    PaperbotGroup,
    db_option,
    echo,
    emit,
    fail,
    json_option,
    limit_option,
    open_catalog,
    require_text,
)
from bot.progress import ProgressLine
from store import categories
from store.loading.input import FORMATS, LoadError
from store.loading.loader import LoadInterrupted, load_into
from store.text import plural

log = logging.getLogger(__name__)


@click.group(cls=PaperbotGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="paperbot", prog_name="paperbot")
@db_option
@click.pass_context
def cli(ctx: click.Context, db_path: Path | None) -> None:
    """Ask a catalog of research papers about titles, authors and topics."""
    ctx.ensure_object(dict)
    ctx.obj["db_path"] = db_path


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(FORMATS), help="File format (default: detected).")
@db_option
@json_option
@click.pass_context
def load(
    ctx: click.Context, files: tuple[Path, ...], fmt: str | None, db_path: Path | None, as_json: bool
) -> None:
    """Load listing or arXiv JSON Lines files (- for standard input) into the catalog, all or nothing.

    Bad records are reported as FILE:LINE: reason and skipped; the rest still load, and the
    command then exits 1. A catalog holding only the bundled listing has it replaced.
    """
    catalog = open_catalog(ctx, db_path, bootstrap=False)
    progress = ProgressLine(sys.stderr)
    try:
        try:
            report = load_into(catalog, list(files), fmt=fmt, progress=progress)
        finally:
            progress.clear()
    except LoadInterrupted as exc:
        click.echo(f"paperbot: {exc}", err=True)
        ctx.exit(130)
    except LoadError as exc:
        fail(str(exc))
    if report.replaced_bundled:
        click.echo(
            f"paperbot: replaced the bundled listing ({plural(report.replaced_bundled, 'paper')}) "
            "with your files",
            err=True,
        )
    for problem in report.problems:
        click.echo(str(problem), err=True)
    if as_json:
        emit(
            {
                "files": report.files,
                "papers": report.papers,
                "added": report.added,
                "problems": [str(p) for p in report.problems],
                "replaced_bundled": report.replaced_bundled,
            }
        )
    else:
        click.echo(
            f"loaded {plural(report.papers, 'paper')} ({report.added:,} new) "
            f"from {plural(len(report.files), 'file')}; {plural(len(report.problems), 'problem')}"
        )
    if report.problems:
        ctx.exit(1)


@cli.command()
@click.argument("ids", nargs=-1, required=True, metavar="ID...")
@db_option
@json_option
@click.pass_context
def remove(ctx: click.Context, ids: tuple[str, ...], db_path: Path | None, as_json: bool) -> None:
    """Remove papers by id (all in one transaction); an id the catalog lacks makes it exit 1."""
    catalog = open_catalog(ctx, db_path, bootstrap=False)
    try:
        report = catalog.remove([i.strip() for i in ids])
    except LoadError as exc:
        fail(str(exc))
    for missing in report.missing:
        click.echo(f"paperbot: no paper with id {echo(missing)}", err=True)
    if as_json:
        emit({"removed": report.removed, "missing": report.missing})
    else:
        click.echo(f"removed {plural(len(report.removed), 'paper')}")
    if report.missing:
        ctx.exit(1)


@cli.command()
@click.argument("query")
@limit_option(5)
@db_option
@json_option
@click.pass_context
def paper(ctx: click.Context, query: str, limit: int, db_path: Path | None, as_json: bool) -> None:
    """Find papers by a (half-remembered) title."""
    query = require_text(query, "query")
    catalog = open_catalog(ctx, db_path)
    matches = catalog.find_papers(query, limit=limit)
    if as_json:
        emit([m.to_dict() for m in matches])
        return
    if not matches:
        fail(f"no paper matches {echo(query)}")
    click.echo("\n\n".join(render_text.paper(m.paper, m.match) for m in matches))


@cli.command()
@click.argument("name")
@limit_option(5)
@db_option
@json_option
@click.pass_context
def author(ctx: click.Context, name: str, limit: int, db_path: Path | None, as_json: bool) -> None:
    """Find authors by name (typos, reversed order and initials are fine)."""
    name = require_text(name, "name")
    catalog = open_catalog(ctx, db_path)
    profiles = [
        p
        for m in catalog.find_authors(name, limit=limit)
        if (p := catalog.author_profile(m.id, match=m.match)) is not None
    ]
    if as_json:
        emit([p.to_dict() for p in profiles])
        return
    if not profiles:
        fail(f"no author matches {echo(name)}")
    click.echo(render_text.author(profiles[0]))
    if len(profiles) > 1:
        click.echo("\nAlso matching:")
        for p in profiles[1:]:
            click.echo(f"  {p.name} ({plural(p.paper_count, 'paper')}, match {p.match:g})")


@cli.command(name="random")
@click.option("--category", help="Category, e.g. cs.LG or LG.")
@click.option("--year-from", type=click.IntRange(1000, 9999), help="Earliest year.")
@click.option("--year-to", type=click.IntRange(1000, 9999), help="Latest year.")
@click.option("--exclude", multiple=True, metavar="ID", help="Never pick this paper id (repeatable).")
@click.option("--seed", type=int, help="Seed for a reproducible pick.")
@db_option
@json_option
@click.pass_context
def random_paper(
    ctx: click.Context,
    category: str | None,
    year_from: int | None,
    year_to: int | None,
    exclude: tuple[str, ...],
    seed: int | None,
    db_path: Path | None,
    as_json: bool,
) -> None:
    """A random paper, optionally from one category and a range of years."""
    if year_from is not None and year_to is not None and year_from > year_to:
        fail(f"--year-from {year_from} is after --year-to {year_to}", code=2)
    catalog = open_catalog(ctx, db_path)
    rng = random.Random(seed)
    found = catalog.random_paper(category, year_from, year_to, exclude=set(exclude), rng=rng)
    if (
        found is None
        and category
        and categories.resolve(category) not in (known := catalog.categories_in_use())
    ):
        listed = ", ".join(known[:20]) + (f", … ({len(known)} in all)" if len(known) > 20 else "")
        fail(f"no category {echo(category)} in the catalog (it has: {listed})")
    if found is None and as_json:
        emit(None)
        return
    if found is None:
        fail("no paper matches those filters")
    if as_json:
        emit(found.to_dict())
    else:
        click.echo(render_text.paper(found))


@cli.command()
@click.argument("text")
@limit_option(10)
@click.option("--offset", type=click.IntRange(0, None), default=0, help="Skip this many results.")
@db_option
@json_option
@click.pass_context
def search(
    ctx: click.Context, text: str, limit: int, offset: int, db_path: Path | None, as_json: bool
) -> None:
    """Full-text search over titles and abstracts."""
    text = require_text(text, "search text")
    catalog = open_catalog(ctx, db_path)
    matches = catalog.search(text, limit=limit, offset=offset)
    if as_json:
        emit([m.to_dict() for m in matches])
        return
    if not matches:
        fail(f"nothing found for {echo(text)}")
    click.echo("\n\n".join(render_text.paper(m.paper, m.match) for m in matches))


@cli.command()
@db_option
@json_option
@click.pass_context
def stats(ctx: click.Context, db_path: Path | None, as_json: bool) -> None:
    """What is in the catalog."""
    catalog = open_catalog(ctx, db_path)
    result = catalog.stats()
    if as_json:
        emit(result.to_dict())
    else:
        click.echo(render_text.stats(result))


def main(argv: list[str] | None = None) -> None:
    """Entry point: errors become one line on stderr and an exit code, never a traceback."""
    # .env (git-ignored) fills in what the environment does not set: PAPERBOT_DB, DISCORD_TOKEN…
    # It is read here only; the bot's settings are read from the environment this fills in.
    load_dotenv(Path(".env"), override=False)
    # A container being stopped (SIGTERM) is treated like Ctrl-C: loads stop cleanly, the bot
    # closes its connections.
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        code = cli.main(args=argv, prog_name="paperbot", standalone_mode=False)
    except click.exceptions.NoArgsIsHelpError as exc:
        click.echo(exc.ctx.get_help() if exc.ctx else exc.format_message())
        sys.exit(0)
    except click.exceptions.Abort as exc:
        # click turns Ctrl-C (and SIGTERM, see above) into Abort, as it does Ctrl-D at a prompt.
        interrupted = isinstance(exc.__context__, KeyboardInterrupt)
        click.echo(f"paperbot: {'interrupted' if interrupted else 'aborted'}", err=True)
        sys.exit(130)
    except click.NoSuchOption as exc:
        query = exc.ctx is not None and exc.ctx.info_name in ("paper", "author", "search")
        hint = " (a query starting with '-' goes after --: paperbot search -- -graph)"
        click.echo(f"paperbot: {exc.format_message()}{hint if query else ''}", err=True)
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        click.echo(f"paperbot: {exc.format_message()}", err=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        click.echo("paperbot: interrupted", err=True)
        sys.exit(130)
    except Exception as exc:  # a bug: say so in one line, keep the traceback for --debug
        if os.environ.get("PAPERBOT_DEBUG"):
            raise
        click.echo(f"paperbot: unexpected error: {exc!r} (set PAPERBOT_DEBUG=1 for details)", err=True)
        sys.exit(70)
    finally:
        signal.signal(signal.SIGTERM, previous if previous is not None else signal.SIG_DFL)
    sys.exit(code if isinstance(code, int) else 0)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


if __name__ == "__main__":
    main()
