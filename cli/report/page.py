"""The page shell and the sections both reports share: CSS for screen and for A4 print, the
verification and checkpoint summary, the red flags with their evidence links, the appendix of
cited events, and the footer on verifying independently."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from cli.report.svg import SEVERITY_COLOURS, esc

FONTS = ('"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "PingFang SC", "Hiragino Sans GB", '
         '"Microsoft YaHei", "WenQuanYi Micro Hei", "Noto Sans", "Helvetica Neue", Arial, sans-serif')
MONO = '"Noto Sans Mono CJK SC", "DejaVu Sans Mono", Menlo, Consolas, monospace'

CSS = f"""
@page {{ size: A4; margin: 14mm 12mm 16mm 12mm; }}
:root {{ --ink: #1d1d1d; --muted: #666; --rule: #d9d9d9; --crit: {SEVERITY_COLOURS['critical']};
  --high: {SEVERITY_COLOURS['high']}; --watch: {SEVERITY_COLOURS['watch']}; }}
* {{ box-sizing: border-box; }}
html {{ font-family: {FONTS}; font-size: 10pt; color: var(--ink); background: #fff;
  -webkit-print-color-adjust: exact; print-color-adjust: exact; }}
body {{ max-width: 190mm; margin: 0 auto; padding: 8mm 5mm 12mm; line-height: 1.45; }}
h1 {{ font-size: 17pt; margin: 0 0 1mm; }}
h2 {{ font-size: 12.5pt; margin: 7mm 0 2mm; padding-bottom: 1mm; border-bottom: 2px solid var(--ink);
  break-after: avoid; page-break-after: avoid; }}
h3 {{ font-size: 10.5pt; margin: 4mm 0 1.5mm; break-after: avoid; }}
p {{ margin: 1mm 0 2mm; }}
.sub {{ color: var(--muted); margin: 0 0 4mm; }}
code, .mono {{ font-family: {MONO}; font-size: 8.5pt; overflow-wrap: anywhere; }}
pre {{ font-family: {MONO}; font-size: 8.5pt; background: #f4f4f4; padding: 2mm 3mm; white-space: pre-wrap;
  overflow-wrap: anywhere; border-left: 3px solid var(--rule); break-inside: avoid; }}
table {{ border-collapse: collapse; width: 100%; font-size: 8.5pt; margin: 1mm 0 3mm; }}
th, td {{ border-bottom: 1px solid var(--rule); padding: 1.2mm 1.5mm; text-align: left; vertical-align: top; }}
th {{ background: #f1f1f1; font-weight: 600; }}
thead {{ display: table-header-group; }}
tr {{ break-inside: avoid; page-break-inside: avoid; }}
tr:target, li:target {{ background: #fff1a8; }}
table.timeline td:nth-child(1) {{ width: 9%; }} table.timeline td:nth-child(2) {{ width: 41%; }}
table.timeline td:nth-child(3) {{ width: 19%; }} table.timeline td:nth-child(4) {{ width: 12%; }}
table.timeline td:nth-child(5) {{ width: 19%; }}
table.timeline small {{ color: var(--muted); }}
.nowrap {{ white-space: nowrap; }}
table.reports {{ font-size: 7.5pt; }} table.reports th, table.reports td {{ padding: 1mm 0.8mm; }}
table.reports td:nth-child(3), table.reports td:nth-child(4) {{ white-space: nowrap; }}
td.num {{ text-align: right; font-variant-numeric: tabular-nums; }}
dl.facts {{ display: grid; grid-template-columns: max-content 1fr; gap: 0.8mm 4mm; margin: 2mm 0; }}
dl.facts dt {{ color: var(--muted); }} dl.facts dd {{ margin: 0; }}
figure {{ margin: 0 0 4mm; break-inside: avoid; page-break-inside: avoid; }}
figcaption {{ font-size: 8.5pt; color: var(--muted); margin-top: 1mm; }}
svg.chart {{ display: block; max-width: 100%; height: auto; }}
.grid {{ display: grid; grid-template-columns: 1fr 1fr; gap: 3mm 5mm; }}
.ok {{ color: #1b7f63; font-weight: 600; }} .bad {{ color: var(--crit); font-weight: 600; }}
.late {{ color: var(--crit); font-weight: 600; }}
.sev {{ display: inline-block; min-width: 14mm; padding: 0 1.5mm; border-radius: 2px; color: #fff;
  font-size: 8pt; font-weight: 600; text-align: center; }}
.sev-critical {{ background: var(--crit); }} .sev-high {{ background: var(--high); }}
.sev-watch {{ background: var(--watch); }}
.flag {{ border-left: 4px solid var(--rule); padding: 1mm 0 1mm 3mm; margin: 0 0 3mm; break-inside: avoid; }}
.flag.critical {{ border-color: var(--crit); }} .flag.high {{ border-color: var(--high); }}
.flag .evidence {{ font-size: 8.5pt; }} .flag .evidence a {{ white-space: nowrap; }}
.legend {{ font-size: 8.5pt; color: var(--muted); display: flex; flex-wrap: wrap; gap: 1mm 5mm; margin: 1mm 0 2mm; }}
.legend svg {{ vertical-align: middle; }}
a {{ color: #1f4e8c; }}
footer {{ margin-top: 8mm; padding-top: 2mm; border-top: 2px solid var(--ink); font-size: 9pt;
  break-inside: avoid; }}
@media print {{
  body {{ max-width: none; padding: 0; }}
  a {{ color: inherit; text-decoration: none; }}
  h2.page {{ break-before: page; page-break-before: always; }}
}}
"""


def document(title: str, body: Iterable[str]) -> str:
    """The whole page: UTF-8, inline CSS, no script, nothing fetched."""
    return ("<!DOCTYPE html>\n<html lang=\"zh-Hans\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            "<meta name=\"referrer\" content=\"no-referrer\">\n"
            f"<title>{esc(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
            + "\n".join(body) + "\n</body>\n</html>\n")


def table(columns: Sequence[str], rows: Iterable[Sequence[str]], *, cls: str = "",
          row_ids: Sequence[str | None] | None = None, numeric: Sequence[int] = ()) -> str:
    """A table of already-escaped cells (callers escape with :func:`esc` or build markup)."""
    head = "".join(f"<th>{esc(c)}</th>" for c in columns)
    out = []
    for i, row in enumerate(rows):
        ident = row_ids[i] if row_ids is not None else None
        attr = f' id="{esc(ident)}"' if ident else ""
        cells = "".join(f'<td class="num">{c}</td>' if j in numeric else f"<td>{c}</td>" for j, c in enumerate(row))
        out.append(f"<tr{attr}>{cells}</tr>")
    return f'<table class="{esc(cls)}"><thead><tr>{head}</tr></thead><tbody>{"".join(out)}</tbody></table>'


def facts(pairs: Iterable[tuple[str, str]]) -> str:
    """A definition list of (label, already-escaped value)."""
    return '<dl class="facts">' + "".join(f"<dt>{esc(k)}</dt><dd>{v}</dd>" for k, v in pairs) + "</dl>"


def short(hash: str | None, digits: int = 16) -> str:
    return esc(hash[:digits] + "…") if hash else ""


def severity(name: str) -> str:
    return f'<span class="sev sev-{esc(name)}">{esc(name)}</span>'


# -- shared sections ----------------------------------------------------------------------------------
def verification_section(page: Mapping[str, Any]) -> list[str]:
    """The ledger's verification result, and the checkpoints (the covering one for a case)."""
    v, s, ledger = page["verification"], page["seal"], page["ledger"]
    if v["ok"]:
        status = f'<span class="ok">verified</span>: all {v["events"]} events, signatures, chains and checkpoints'
    else:
        status = f'<span class="bad">FAILED</span>: {len(v["problems"])} problem(s) in {v["events"]} events'
    pairs = [("ledger", f'<code>{esc(ledger["id"])}</code> ({esc(ledger["province_name"])} '
                        f'{esc(ledger["province_code"])})'),
             ("log size", esc(ledger["size"])), ("verification", status)]
    if "covering" in s:
        newest = s["newest_seq"]
        c = s["covering"]
        if c is None:
            pairs.append(("checkpoint", f'<span class="bad">no signed checkpoint covers this case\'s newest event '
                                        f"(seq {esc(newest)}) yet</span>"))
        else:
            pairs.append(("covering checkpoint", _checkpoint(c) + f" — the first to seal seq {esc(newest)}, this "
                                                                 "case's newest event"))
    latest = s.get("latest")
    pairs.append(("latest checkpoint", _checkpoint(latest) if latest else '<span class="bad">none signed</span>'))
    out = [facts(pairs)]
    for c in s.get("invalid", []):
        out.append(f'<p class="bad">checkpoint of size {esc(c["size"])} does not verify: {esc(c["problem"])}</p>')
    if v["problems"]:
        out.append(table(["seq", "stream", "v", "code", "problem"],
                         ([esc(p["seq"]), esc(p["stream"]), esc(p["version"]), f"<code>{esc(p['code'])}</code>",
                           esc(p["message"])] for p in v["problems"][:200])))
    for w in v["warnings"]:
        out.append(f"<p>warning: {esc(w)}</p>")
    return out


def _checkpoint(c: Mapping[str, Any]) -> str:
    witnesses = f"; cosigned by {esc(', '.join(c['witnesses']))}" if c["witnesses"] else ""
    return (f"size {esc(c['size'])}, root <code>{esc(c['root'])}</code>, signed by "
            f"<code>{esc(c['signer'])}</code> (the ledger authority){witnesses}")


def flags_section(flags: Sequence[Mapping[str, Any]], *, show_stream: bool) -> list[str]:
    """Each flag: severity, rule, message, and its evidence, each hash linking to ``#ev-<hash>``."""
    if not flags:
        return ["<p>No red flag is raised.</p>"]
    out = []
    for f in flags:
        links = ", ".join(f'<a href="#ev-{esc(e["hash"])}">seq {esc(e["seq"])} <code>{short(e["hash"], 12)}</code></a>'
                          for e in f["evidence"])
        where = f' on <code>{esc(f["stream"])}</code>' if show_stream else ""
        out.append(f'<div class="flag {esc(f["severity"])}">{severity(f["severity"])} <b>{esc(f["rule"])}</b>{where}'
                   f'<p>{esc(f["message"])}</p><div class="evidence">evidence: {links}</div></div>')
    return out


def cited_section(cited: Sequence[Mapping[str, Any]], title: str) -> list[str]:
    """Cited events the page shows nowhere else, each a link target ``ev-<hash>``."""
    if not cited:
        return []
    return [f"<h3>{esc(title)}</h3>",
            table(["seq", "stream", "v", "type", "decided", "recorded (UTC)", "actor", "person", "key", "hash"],
                  ([esc(r["seq"]), f"<code>{esc(r['stream'])}</code>", esc(r["version"]), esc(r["type"]),
                    esc(r["decided_on"] or ""), esc(r["recorded_at"]), esc(r["actor"]), esc(r["person"] or ""),
                    f"<code>{esc(r['key'])}</code>", f"<code>{esc(r['hash'])}</code>"] for r in cited),
                  row_ids=[f"ev-{r['hash']}" for r in cited], numeric=(0, 2))]


def footer(page: Mapping[str, Any], what: str) -> str:
    """How to check this page's claims without trusting whoever produced it."""
    ledger = page["ledger"]
    seal = page["seal"]
    anchor = seal.get("covering") or seal.get("latest")
    check = (f" The bundle's <code>checkpoints.jsonl</code> must hold the checkpoint of size {esc(anchor['size'])} "
             f"with root <code>{esc(anchor['root'])}</code>." if anchor else "")
    return (f"<footer><h3>Verify {esc(what)} independently</h3>"
            "<p>Every event on this page is a signed record of the ledger; nothing here needs to be taken on trust. "
            "Export the ledger as an audit bundle and verify it offline against the authority's key, obtained from "
            "the province through a channel other than this report:</p>"
            f"<pre>exitledger export --out DIR\nexitledger verify --bundle DIR --authority-key "
            f"'{esc(ledger['authority_vkey'])}'</pre>"
            f"<p>Verification checks every signature, every stream's hash chain, the Merkle tree and every signed "
            f"checkpoint; it exits 0 only when all hold.{check} Each event's seq and hash, as printed here, can be "
            f"found in <code>events.jsonl</code>, and <code>exitledger prove SEQ</code> proves its inclusion in "
            f"the log. Report drawn from ledger <code>{esc(ledger['id'])}</code> at size {esc(ledger['size'])}.</p>"
            "</footer>")

