"""The `searcharchive` command: index, search, serve, stats. Each only calls the library."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from .errors import ArchiveError
from .languages import LANGS
from .web.options import MAX_EXPORT_SLOTS, MAX_SEARCH_SLOTS, Limits, ServerOptions

if TYPE_CHECKING:
    from .indexer import IndexReport

DEFAULT_INDEX = "index"
INDEX_OPTION = click.option(
    "--index",
    "index_dir",
    default=DEFAULT_INDEX,
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    envvar="SEARCHARCHIVE_INDEX",
    help="Index directory (or set SEARCHARCHIVE_INDEX).",
)


def _date(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"'{value}' is not an ISO date such as 2020-07-10") from None


def _base_url(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if not value:
        return None
    from .web.links import checked_base_url

    try:
        return checked_base_url(value)
    except ValueError as error:
        raise click.BadParameter(str(error)) from None


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="searcharchive")
def cli() -> None:
    """A searchable archive of human-rights statements in English, Belarusian and Russian.

    \b
    searcharchive serve                       # build the sample index if needed, then serve
    searcharchive index statements/ --index index
    searcharchive search "ст. 368 УК"
    """


def _progress(items: Iterable[Any]) -> Iterable[Any]:
    from tqdm import tqdm

    return tqdm(items, desc="indexing", unit=" records", file=sys.stderr, disable=None)


def build_index(
    sources: list[Path],
    index_dir: Path,
    rebuild: bool,
    extra_orgs: Sequence[Path] = (),
    extra_persons: Sequence[Path] = (),
    processes: int | None = None,
) -> int:
    from .indexer import Indexer

    try:
        gazetteers = {"organizations": list(extra_orgs), "persons": list(extra_persons)}
        indexer = Indexer(index_dir, processes=processes, gazetteers=gazetteers)
        report = indexer.run(sources, rebuild=rebuild, progress=_progress)
    except (ArchiveError, ValueError) as error:
        click.echo(f"error: {error}", err=True)
        return 2
    except OSError as error:  # a full disk, a read-only folder: nothing was published
        reason = error.strerror or str(error)
        click.echo(
            f"error: cannot write the index in {index_dir}: {reason}; "
            "the published generation is unchanged",
            err=True,
        )
        return 2
    click.echo(report.summary())
    _list(
        f"replaced by another file's version (listed in {index_dir / 'notes.jsonl'}):",
        [(n.source, n.where, n.note) for n in report.replaced],
    )
    _list(
        f"noted (listed in {index_dir / 'notes.jsonl'}):",
        [(n.source, n.where, n.note) for n in report.notes],
    )
    _list(
        f"files skipped in folders (listed in {index_dir / 'notes.jsonl'}):",
        [(s.source, {}, s.reason) for s in report.skipped],
    )
    if report.rejected:
        _list(
            f"{len(report.rejected)} record(s) rejected, kept aside in "
            f"{index_dir / 'rejects.jsonl'}:",
            [(r.source, r.where, r.reason) for r in report.rejected],
        )
        return 1
    return 0


def watch_sources(sources: list[Path], index_dir: Path, gazetteers: dict[str, list[Path]]) -> int:
    """`index --watch`: a resident indexer over the sources, until interrupted."""
    import signal

    from .indexer import Indexer
    from .watch import Watcher

    def report(files: list[Path], outcome: IndexReport | Exception) -> None:
        names = ", ".join(str(path) for path in files[:3]) + (" …" if len(files) > 3 else "")
        if isinstance(outcome, Exception):
            reason = outcome.strerror if isinstance(outcome, OSError) else str(outcome)
            click.echo(f"{names}: error: {reason or outcome}; trying again", err=True)
            return
        click.echo(f"{names}: {outcome.summary()}")
        if outcome.rejected:
            click.echo(
                f"  {len(outcome.rejected)} record(s) rejected, kept aside in "
                f"{index_dir / 'rejects.jsonl'}",
                err=True,
            )

    try:
        watcher = Watcher(Indexer(index_dir, processes=1, gazetteers=gazetteers), sources, report)
    except (ArchiveError, ValueError) as error:
        click.echo(f"error: {error}", err=True)
        return 2
    signal.signal(signal.SIGTERM, lambda *_: watcher.stop.set())
    try:
        watcher.start()
        click.echo(f"watching {', '.join(map(str, sources))} (Ctrl-C stops)", err=True)
        watcher.watch()
    except KeyboardInterrupt:
        pass
    except (ArchiveError, ValueError) as error:  # an unreadable catalog at start
        click.echo(f"error: {error}", err=True)
        return 2
    return 0


def _list(heading: str, rows: list[tuple[str, dict[str, int | str], str]], shown: int = 20) -> None:
    """A heading and the first rows as `source:line: text` on standard error."""
    if not rows:
        return
    click.echo(heading, err=True)
    for source, where, text in rows[:shown]:
        place = where.get("line", where.get("element", ""))
        click.echo(f"  {source}{f':{place}' if place != '' else ''}: {text}", err=True)
    if len(rows) > shown:
        click.echo(f"  … and {len(rows) - shown} more", err=True)


def _gazetteer_option(kind: str, name: str) -> Callable[[Callable[..., Any]], Any]:
    return click.option(
        f"--{kind}",
        name,
        multiple=True,
        type=click.Path(exists=True, dir_okay=False, path_type=Path),
        help=f"An extra {kind} gazetteer (YAML), added to the built-in one and kept with the "
        "index (servers and later runs use it; --rebuild forgets it unless given again).",
    )


@cli.command()
@click.argument("sources", nargs=-1, required=True, type=click.Path(path_type=Path))
@INDEX_OPTION
@click.option("--rebuild", is_flag=True, help="Start a new index from these sources only.")
@_gazetteer_option("organizations", "extra_orgs")
@_gazetteer_option("persons", "extra_persons")
@click.option(
    "--processes",
    type=click.IntRange(min=1, max=64),
    help="Processes that analyse and write a full build (--rebuild or a new index); "
    "default: one per CPU, at most 2 (memory). Incremental runs use one.",
)
@click.option(
    "--watch",
    is_flag=True,
    help="Keep running: index each file that appears or changes in SOURCES as it appears "
    "(a new statement is searchable well within a second; Ctrl-C stops). Files the index "
    "has not read are read at start. Write a file under a hidden name (.name.tmp) and "
    "rename it into place, so that it is never read half-written.",
)
def index(
    sources: tuple[Path, ...],
    index_dir: Path,
    rebuild: bool,
    extra_orgs: tuple[Path, ...],
    extra_persons: tuple[Path, ...],
    processes: int | None,
    watch: bool,
) -> None:
    """Read SOURCES (JSON Lines, saved HTML pages, tag-page text exports, folders of them,
    or - for standard input) and publish a new index generation. Records are upserted by
    id: running it twice changes nothing. Rejected records are listed in INDEX/rejects.jsonl
    and the exit code is 1; cleaned texts, cut lists, statements replaced from another
    file and files skipped in folders are listed in INDEX/notes.jsonl.

    \b
    Examples:
      searcharchive index statements.jsonl
      cat statements.jsonl | searcharchive index -
      searcharchive index saved-pages/ exports/ --index /srv/archive/index
      searcharchive index all.jsonl --rebuild --organizations our-orgs.yaml
      searcharchive index corpus/ --rebuild --processes 2
      searcharchive index --watch incoming/ --index /srv/archive/index
    """
    if watch:
        if rebuild or any(str(source) == "-" for source in sources):
            raise click.UsageError("--watch reads files and folders, and never rebuilds")
        gazetteers = {"organizations": list(extra_orgs), "persons": list(extra_persons)}
        sys.exit(watch_sources(list(sources), index_dir, gazetteers))
    sys.exit(
        build_index(
            list(sources), index_dir, rebuild, list(extra_orgs), list(extra_persons), processes
        )
    )


@cli.command()
@click.argument("query", default="")
@INDEX_OPTION
@click.option("--tag", multiple=True, help="Only this tag (repeat for any of several).")
@click.option(
    "--org",
    multiple=True,
    help="Only statements by this organization id (author or signatory), e.g. viasna (repeatable).",
)
@click.option(
    "--mention",
    multiple=True,
    help="Only statements naming this organization id in any role (repeatable).",
)
@click.option(
    "--person",
    multiple=True,
    help="Only statements naming this person id, as the person facet lists it (repeatable).",
)
@click.option(
    "--article",
    multiple=True,
    help="Only statements citing this article id, e.g. cc:342 (repeatable; includes its parts).",
)
@click.option(
    "--lang", multiple=True, type=click.Choice(LANGS), help="Only this language (repeatable)."
)
@click.option("--from", "date_from", callback=_date, help="Published on or after (YYYY-MM-DD).")
@click.option("--to", "date_to", callback=_date, help="Published on or before (YYYY-MM-DD).")
@click.option(
    "--sort",
    type=click.Choice(["relevance", "newest", "oldest"]),
    default=None,
    help="Default: relevance for a query, newest for an empty one.",
)
@click.option("--page", default=1, show_default=True, type=click.IntRange(min=1))
@click.option(
    "--limit", default=10, show_default=True, type=click.IntRange(1, 100), help="Hits per page."
)
@click.option(
    "--exact", is_flag=True, help="No stemming and no spelling folding: this spelling only."
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def search(
    query: str,
    index_dir: Path,
    tag: tuple[str, ...],
    org: tuple[str, ...],
    mention: tuple[str, ...],
    person: tuple[str, ...],
    article: tuple[str, ...],
    lang: tuple[str, ...],
    date_from: date | None,
    date_to: date | None,
    sort: str | None,
    page: int,
    limit: int,
    exact: bool,
    as_json: bool,
) -> None:
    """Search the archive. An empty QUERY ("") lists every statement the filters allow,
    newest first.

    \b
    Examples:
      searcharchive search Severinets
      searcharchive search "ст. 368 УК" --sort newest
      searcharchive search '"human rights" -Ukraine' --lang en --from 2022-01-01
      searcharchive search "" --tag "joint statement" --article cc:342 --json
      searcharchive search Севярынец --exact
      searcharchive search "" --mention bsu-law --sort oldest
    """
    from .archive import Archive
    from .request import SearchRequest
    from .snippets import plain

    request = SearchRequest(
        q=query,
        tags=list(tag),
        orgs=list(org),
        mentions=list(mention),
        persons=list(person),
        articles=list(article),
        langs=list(lang),
        date_from=date_from,
        date_to=date_to,
        sort=sort or "",
        page=page,
        size=limit,
        exact=exact,
    )
    try:
        result = Archive.open(index_dir).search(request)
    except ArchiveError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(2)
    if as_json:
        click.echo(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
        return
    for note in result.notes:
        click.echo(f"note: {note}")
    first = (result.request.page - 1) * result.request.size
    click.echo(
        f"{result.total} result(s); showing {first + 1 if result.hits else 0}–{first + len(result.hits)}"
    )
    for number, hit in enumerate(result.hits, start=first + 1):
        s = hit.statement
        when = s.date.iso() if s.date else "undated"
        click.echo(f"\n{number}. {s.title}")
        click.echo(f"   {when} · {s.lang} · {s.id}")
        if s.articles:
            click.echo(f"   articles: {', '.join(s.articles)}")
        if hit.matched_forms:
            click.echo(f"   matched {', '.join(hit.matched_forms)}")
        snippet = plain(hit.snippet, mark="*").replace("\n", " ")
        click.echo(f"   {snippet}")
        if hit.translations:
            click.echo(
                "   also in: " + ", ".join(f"{t['lang']} ({t['id']})" for t in hit.translations)
            )


# serve's limits, in the order --help lists them: the option, its default and its range
SERVE_LIMITS: tuple[tuple[str, Any, click.ParamType], ...] = (
    ("--max-searches", Limits.searches, click.IntRange(1, MAX_SEARCH_SLOTS)),
    ("--max-exports", Limits.exports, click.IntRange(1, MAX_EXPORT_SLOTS)),
    ("--max-queued", Limits.queued, click.IntRange(0, 10_000)),
    ("--header-timeout", ServerOptions.header_timeout, click.FloatRange(0.1, 3600)),
    ("--keep-alive-timeout", ServerOptions.keep_alive_timeout, click.FloatRange(0.1, 3600)),
    ("--max-connections", ServerOptions.max_connections, click.IntRange(1, 100_000)),
    ("--max-header-bytes", ServerOptions.max_header_bytes, click.IntRange(1024, 1024 * 1024)),
)
SERVE_LIMIT_HELP = {
    "--max-searches": "Requests that read the index at once, per process (worker threads).",
    "--max-exports": "CSV exports at once, per process.",
    "--max-queued": "Requests waiting for a search or export slot; more get a 503 "
    "with Retry-After.",
    "--header-timeout": "Seconds a client has to send a whole request "
    "(slow clients are disconnected).",
    "--keep-alive-timeout": "Seconds an idle keep-alive connection stays open.",
    "--max-connections": "Open connections per process; past it, requests get a 503.",
    "--max-header-bytes": "Largest request head (request line and headers) accepted.",
}


def _limit_options(command: Callable[..., Any]) -> Callable[..., Any]:
    for name, default, kind in reversed(SERVE_LIMITS):
        help_text = SERVE_LIMIT_HELP[name]
        command = click.option(name, default=default, show_default=True, type=kind, help=help_text)(
            command
        )
    return command


@cli.command()
@INDEX_OPTION
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Server processes on this port (stateless replicas of one index).",
)
@click.option(
    "--base-url",
    envvar="SEARCHARCHIVE_BASE_URL",
    callback=_base_url,
    help="The site's public address, e.g. https://archive.example.org: feeds and CSV "
    "exports link there (or set SEARCHARCHIVE_BASE_URL). Default: the address the server "
    "answers on; never the Host header a client sends.",
)
@_limit_options
@click.option(
    "--forwarded-allow-ips",
    default=ServerOptions.forwarded_allow_ips,
    show_default=True,
    help="Comma-separated addresses of reverse proxies whose X-Forwarded-* headers are "
    "trusted ('*' for any).",
)
def serve(
    index_dir: Path, host: str, port: int, workers: int, base_url: str | None, **options: Any
) -> None:
    """Serve the archive on the web. With no index present, builds one from the bundled
    sample corpus first. A new index generation is picked up without a restart.

    \b
    Examples:
      searcharchive serve
      searcharchive serve --index /srv/archive/index --host 0.0.0.0 --port 8080 --workers 2
      searcharchive serve --host 0.0.0.0 --base-url https://archive.example.org
      searcharchive serve --max-exports 1 --header-timeout 5   # a small machine
    """
    from .store import IndexStore

    limits, server_options = _serve_options(options)
    store = IndexStore(index_dir)
    if not store.current_file.exists():
        from .sample import sample_sources

        click.echo(f"no index at {index_dir}: building one from the bundled sample corpus")
        if build_index(sample_sources(), index_dir, rebuild=True) != 0:
            sys.exit(2)
    import uvicorn

    from .web.app import create_app

    try:  # also checks, before any worker starts, that it opens
        app = create_app(index_dir, base_url=base_url, limits=limits)
    except ArchiveError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(2)
    click.echo(f"serving {index_dir} on http://{host}:{port}/ with {workers} worker(s)")
    run = {"host": host, "port": port, "log_level": "info", **server_options.uvicorn_options()}
    if workers == 1:
        uvicorn.run(app, **run)
        return
    os.environ["SEARCHARCHIVE_INDEX"] = str(Path(index_dir).resolve())
    if base_url:
        os.environ["SEARCHARCHIVE_BASE_URL"] = base_url
    os.environ.update(limits.environment())
    uvicorn.run("searcharchive.web.app:app_from_environment", factory=True, workers=workers, **run)


def _serve_options(options: dict[str, Any]) -> tuple[Limits, ServerOptions]:
    limits = Limits(options["max_searches"], options["max_exports"], options["max_queued"])
    names = ServerOptions.__dataclass_fields__
    return limits, ServerOptions(**{k: v for k, v in options.items() if k in names})


@cli.command()
@INDEX_OPTION
def stats(index_dir: Path) -> None:
    """Counts per language, tag, organization, person and code in the published index
    (a person with the id `search --person` takes)."""
    from .archive import Archive
    from .request import SearchRequest

    try:
        result = Archive.open(index_dir).search(SearchRequest(size=1))
    except ArchiveError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(2)
    click.echo(f"generation {result.generation}: {result.total} statements (translation groups)")
    for facet in ("lang", "tag", "organization", "person", "year"):
        click.echo(f"\n{facet}:")
        for item in result.facets[facet][:15]:
            shown = f"{item.label} ({item.value})" if facet == "person" else item.label
            click.echo(f"  {item.count:>6}  {shown}")
    codes = [a for a in result.facets["article"] if a.parent is None]
    click.echo("\ncodes:")
    for item in codes:
        click.echo(f"  {item.count:>6}  {item.label}")


def main() -> None:
    """Entry point: no traceback reaches a user, whatever goes wrong."""
    try:
        code = cli.main(standalone_mode=False)
    except (KeyboardInterrupt, click.Abort):
        click.echo("interrupted: nothing was published", err=True)
        sys.exit(130)
    except click.ClickException as error:
        error.show()
        sys.exit(error.exit_code)
    except click.exceptions.Exit as done:
        sys.exit(done.exit_code)
    except Exception as error:  # the last line of defence: report, do not dump a traceback
        click.echo(f"error: unexpected failure ({type(error).__name__}: {error})", err=True)
        click.echo("please report this with the command you ran", err=True)
        sys.exit(70)
    sys.exit(code if isinstance(code, int) else 0)
