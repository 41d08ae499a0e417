#!/usr/bin/env python
"""Convert the real open listings (NASA technology transfer offers, SBIR topics) into the import format.

Reads the shared data collection (``../shared/data/listings``, which users do not have) and writes
``data/demo/nasa_offers.jsonl`` and ``data/demo/sbir_needs.jsonl``, which are committed to the project and loaded by
``manage.py seed_demo``. Run it again only when the sources or the mapping below change:

    .venv/bin/python scripts/convert_open_listings.py [--source ../shared/data/listings] [--out data/demo]

Only what the data supports is claimed: no stage, price or deadline is invented, and a NASA patent's status is
"granted" or "applied" only when its abstract says so. NASA's data states no TRL, so the offers have none (a staff
import may publish an offer whose TRL is unknown). See data/demo/PROVENANCE.md.
"""

import argparse
import json
import re
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = ROOT.parent / "shared" / "data" / "listings"
DEFAULT_OUT = ROOT / "data" / "demo"

TITLE_MAX = 256
SUMMARY_MAX = 500
TEXT_MAX = 4000
KEYWORD_MAX = 64
KEYWORDS_MAX = 10

NASA_ORGANIZATION = "National Aeronautics and Space Administration"
NASA_SOURCE = (
    "NASA Technology Transfer Portal (technology.nasa.gov); public domain in the US; "
    "NASA does not endorse this exchange"
)
SBIR_SOURCE = "SBIR.gov topics FY2008–2018 (US Government data)"
# How many SBIR topics to keep: the most relevant to the Delta's themes, so the committed file stays small.
SBIR_LIMIT = 400

# NASA categories → S&T field codes (Decision 12/2008/QĐ-BKHCN), most specific first.
NASA_FIELDS = {
    # patents
    "sensors": ["20201", "202"],
    "materials and coatings": ["20511", "20515"],
    "aerospace": ["20308"],
    "mechanical and fluid systems": ["20301"],
    "robotics automation and control": ["20202", "20203"],
    "manufacturing": ["20302", "20301"],
    "information technology and software": ["10201"],
    "health medicine and biotechnology": ["20601", "305"],
    "instrumentation": ["20201", "20203"],
    "power generation and storage": ["20313", "20703"],
    "electrical and electronics": ["20201"],
    "optics": ["10306"],
    "communications": ["20204"],
    "environment": ["20701", "10509"],
    "propulsion": ["20308", "20313"],
    # software
    "data and image processing": ["10201", "10202"],
    "design and integration tools": ["10201", "20301"],
    "aeronautics": ["20308"],
    "environmental science earth air space exoplanet": ["10509", "10510", "10308"],
    "data servers processing and handling": ["10202", "10201"],
    "operations": ["10201"],
    "vehicle management space air ground": ["20203", "20308"],
    "system testing": ["10201"],
    "autonomous systems": ["20202"],
    "business systems and project management": ["10202", "502"],
    "materials and processes": ["20515"],
    "structures and mechanisms": ["20301", "20308"],
    "crew and life support": ["20601", "20308"],
    "electronics and electrical power": ["20201"],
}

NASA_CENTERS = {
    "ARC": "Ames Research Center",
    "DFRC": "Armstrong Flight Research Center",
    "GRC": "Glenn Research Center",
    "GSFC": "Goddard Space Flight Center",
    "HDQS": "NASA Headquarters",
    "JPL": "Jet Propulsion Laboratory",
    "JSC": "Johnson Space Center",
    "KSC": "Kennedy Space Center",
    "LARC": "Langley Research Center",
    "MSFC": "Marshall Space Flight Center",
    "SSC": "Stennis Space Center",
}


# NASA software whose release is open to users outside the US; "U.S. Release Only" and "U.S. Government Purpose
# Release" software cannot be licensed to an organisation in Vietnam, so it is left out.
NASA_SOFTWARE_RELEASES = {"Open Source", "General Public Release", "U.S. and Foreign Release"}
# Released free of charge (open-source licence or NASA's software usage agreement).
NASA_FREE_RELEASES = {"Open Source", "General Public Release"}

# The SBIR agencies as named in organizations.json (NASA is one organisation for both files).
SBIR_AGENCIES = {
    "Department of Defense",
    "National Aeronautics and Space Administration",
    "Department of Health and Human Services",
    "National Science Foundation",
    "Department of Energy",
    "Department of Commerce",
    "Department of Agriculture",
    "Department of Homeland Security",
    "Department of Transportation",
    "Environmental Protection Agency",
    "Department of Education",
}
# Field when no theme below matches a topic.
SBIR_AGENCY_FIELDS = {
    "Department of Defense": "2",
    "National Aeronautics and Space Administration": "20308",
    "Department of Health and Human Services": "3",
    "National Science Foundation": "2",
    "Department of Energy": "20703",
    "Department of Commerce": "2",
    "Department of Agriculture": "4",
    "Department of Homeland Security": "2",
    "Department of Transportation": "20104",
    "Environmental Protection Agency": "207",
    "Department of Education": "503",
}

# Themes of a topic: (field code, pattern, weight for the Delta). A topic gets the fields of its strongest themes; the
# weight ranks topics so the kept ones are those closest to the Delta's demand (agriculture, aquaculture, food, water,
# energy, environment, sensing).
SBIR_THEMES: list[tuple[str, str, int]] = [
    ("405", r"aquacultur|fisher|shrimp|oyster|seafood|fish farm|finfish|shellfish", 6),
    (
        "401",
        r"\bcrop|agricultur|farm\b|farmer|soil|irrigat|fertili[sz]|pesticid|rice\b|orchard|horticult|plant breed",
        5,
    ),
    ("40107", r"post-?harvest|grain stor|crop dry|food preserv", 6),
    ("21101", r"\bfood\b|food safety|foodborne|dairy|meat process|beverage", 4),
    ("402", r"livestock|poultry|swine|cattle|animal feed|manure", 4),
    ("20701", r"water treatment|wastewater|drinking water|desalinat|groundwater|stormwater|water quality", 6),
    ("10513", r"salinit|saltwater intrusion|drought|flood|hydrolog|watershed|sea level", 6),
    ("20802", r"bioremediat|biodegrad|compost|anaerobic digest|biogas", 6),
    (
        "20703",
        r"solar (cell|panel|energy|power|array|thermal)|photovoltaic|wind (energy|turbine|power)|biomass|biofuel|"
        r"renewable|fuel cell|energy storage|battery|batteries",
        4,
    ),
    ("20313", r"energy efficien|heat pump|refrigerat|cold chain|dryer|drying|boiler|combustion", 4),
    ("207", r"pollut|emissions? (reduction|control)|greenhouse gas|air quality|recycl|solid waste|contaminat", 3),
    ("10509", r"climate|environmental monitor|ecosystem|remote sensing|satellite imag", 3),
    ("20201", r"sensor|detector|monitoring system|internet of things|\biot\b|wireless sensor", 2),
    ("10201", r"software|machine learning|artificial intelligence|data analytic|algorithm|decision support", 1),
    ("20202", r"robot|autonomous|unmanned|drone", 1),
    ("20515", r"material|composite|coating|polymer|nanomaterial", 1),
    ("20601", r"diagnos|medical device|point-of-care|clinical", 1),
    ("303", r"public health|vaccin|infectious|epidemi", 2),
    ("503", r"education|learning|student|teacher", 1),
]
SBIR_THEME_RES = [(code, re.compile(pattern, re.I), weight) for code, pattern, weight in SBIR_THEMES]
# Topics left out: export-controlled (ITAR/EAR), weapons, and program announcements that are not a need.
SBIR_EXCLUDE = re.compile(
    r"International Traffic in Arms|\bITAR\b|Export Administration Regulation|weapon|munition|missile|warhead|"
    r"lethal|warfighter|combat|explosive|battlefield|battlespace|minefield|soldier|\bsquad\b|tactical|\bICBM|"
    r"marijuana|cannabi|classified|foreign nationals|foreign influence|export control|"
    r"U\.?S\.? (owned|citizens?\b)",
    re.I,
)
SBIR_GENERIC_TITLES = re.compile(r"^(other\b|phase iib|hhs sbir|rfa-|pa-\d)", re.I)
SBIR_SECTION = re.compile(r"^([A-Z][A-Z ()/&,-]{2,40}):\s*", re.M)
# Section headings that some records glue to the end of the previous sentence ("…analyticsOBJECTIVE: Design…").
SBIR_GLUED_HEADING = re.compile(
    r"(?<=[\w.)\]”])[ \t]*(?=(OBJECTIVE|DESCRIPTION|PHASE I{1,3}|PHASE III DUAL USE APPLICATIONS|REFERENCES|KEYWORDS|"
    r"TECHNOLOGY AREAS?(\(S\))?|ACQUISITION PROGRAM):)"
)
# Administrative lines of a topic (centres, technology areas, award amounts), dropped from the listing's text.
SBIR_META_LINE = re.compile(
    r"^(TECHNOLOGY AREAS?(\(S\))?|(OCT )?Technology Area|Lead Center|Lead MD|Participating (Center|MD)\(s\)|"
    r"Related Subtopic Pointer\(s\)|ACQUISITION PROGRAM|PROPOSALS ACCEPTED|Number of anticipated awards|"
    r"Maximum Phase I+ Award Amount|Budget[^:\n]*)\s*:[^\n]{0,160}$\n?",
    re.M | re.I,
)
# NASA centres named at the start of a topic, sometimes without line breaks ("Lead Center:JSCParticipating…").
_CENTER = r"(ARC|AFRC|DFRC|GRC|GSFC|HQ|JPL|JSC|KSC|LaRC|LARC|MSFC|SSC|WFF)"
SBIR_CENTERS = re.compile(rf"(Lead Center|Participating Center\(s\)):\s*{_CENTER}(\s*,\s*{_CENTER})*\s*")
# Sentences that are about the old call, not the need: deadlines, contacts, where to read more.
SBIR_STALE_SENTENCE = re.compile(
    r"[^.\n]*(\S+@\S+\.\w+|Letter of Intent is due|FedBizOpps|please refer to the solicitation)[^.\n]*\.?[ \t]*|"
    r"\bContact (Dr|Mr|Ms|Mrs)\.\s*",
    re.I,
)
# Award terms of the old call (NIH style), not part of the need.
SBIR_AWARD_TERMS = re.compile(
    r"(Fast[- ‐]Track|Direct[- ]to[- ]Phase II)[^.\n]{0,40}accepted\.?\s*|"
    r"Phase I+: (up to )?\$[\d,]+[^\n;]*;?\s*|"
    r"Maximum Phase I+ Award Amount:\s*\$[\d,]+\s*|"
    r"Accepting (SBIR|STTR)[^:\n]{0,40}Applications:\s*(YES|NO)\s*|"
    r"PROPOSALS THAT EXCEED THE BUDGET OR PROJECT DURATION LISTED ABOVE MAY NOT BE FUNDED\.?\s*|"
    r"Please Note that a Letter of Intent is due \w+, \w+ \d{1,2}, \d{4}( \d{1,2}:\d{2}\s?[ap]m ET)?\.?\s*|"
    r"Number of anticipated awards:[^\n]*?(?=Budget|\n|$)\s*|"
    r"Budget \(total costs[^)]*\):\s*(\n?Phase I+:[^\n]*)*\s*",
    re.I | re.M,
)
# Sentences: split at end punctuation, also where records lost the space after it ("…Science.Maximum…").
SENTENCE_SPLIT = re.compile(r"(?<=[.!?])\s+|(?<=[a-z)][.!?])(?=[A-Z])|\n")
# A sentence found in this many topics is boilerplate of the calls (office missions, submission rules), not a need.
BOILERPLATE_MIN_RECORDS = 8
BOILERPLATE_MIN_LENGTH = 40
# A heading on a line of its own ("Purpose", "Background:").
SBIR_HEADING_LINE = re.compile(r"^[A-Z][\w ()/&,-]{0,38}:?$\n?", re.M)


# --- text helpers --------------------------------------------------------------------------------------------------


def squeeze(text: str) -> str:
    """Collapse runs of blanks, keep paragraph breaks, strip."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    text = re.sub(r"[ \t]+", " ", text)
    text = re.sub(r" *\n *", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


def cut(text: str, limit: int) -> str:
    """Return text within limit characters, cut at a word boundary with an ellipsis when it is longer."""
    text = squeeze(text)
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    space = max(head.rfind(" "), head.rfind("\n"))
    if space > limit // 2:
        head = head[:space]
    return head.rstrip(" ,;:-\n") + "…"


def first_sentences(text: str, limit: int) -> str:
    """The opening sentences of text that fit in limit characters (or the text cut at a word)."""
    text = squeeze(text).replace("\n", " ")
    if len(text) <= limit:
        return text
    sentences = re.split(r"(?<=[.!?])\s+(?=[A-Z0-9“\"(])", text)
    summary = ""
    for sentence in sentences:
        candidate = f"{summary} {sentence}".strip()
        if len(candidate) > limit:
            break
        summary = candidate
    return summary if len(summary) >= 80 else cut(text, limit)


def with_footer(body: str, footer: str, limit: int = TEXT_MAX) -> str:
    """Body cut so that body plus footer fit in limit characters."""
    room = limit - len(footer) - 2
    return f"{cut(body, room)}\n\n{footer}" if body else footer


def keyword_list(values: Iterable[str]) -> list[str]:
    result: list[str] = []
    for value in values:
        value = squeeze(value).strip(" .;,")
        if value and len(value) <= KEYWORD_MAX and value.casefold() not in {k.casefold() for k in result}:
            result.append(value)
    return result[:KEYWORDS_MAX]


def read_jsonl(path: Path) -> Iterator[dict]:
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def write_jsonl(path: Path, rows: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False, separators=(",", ":")) + "\n")


# --- NASA offers ---------------------------------------------------------------------------------------------------


def patent_status(abstract: str) -> str | None:
    """The patent status the abstract states, if any."""
    if re.search(r"\bpatented\b|\bpatent (is )?(now )?available|\bU\.?S\.? patent (no|number)", abstract, re.I):
        return "granted"
    if re.search(r"patent[- ]pending|patent application", abstract, re.I):
        return "applied"
    return None


def nasa_offer(record: dict) -> dict:
    is_software = record["record_type"] == "technology_offer_software"
    reference = record["reference_number"].strip()
    category = record["category"].strip()
    center = NASA_CENTERS.get(record["nasa_center"].upper(), record["nasa_center"])
    abstract = squeeze(record["abstract"])
    if is_software:
        release = record["release_type"].strip()
        lines = [
            f"NASA software {reference}, {center}. Release: {release}.",
            f"https://software.nasa.gov/software/{reference}",
        ]
        if record.get("code_url"):
            lines.append(f"Source code: {record['code_url'].strip()}")
    else:
        lines = [f"NASA technology {reference}, {center}.", f"https://technology.nasa.gov/patent/{reference}"]
    row: dict = {
        "kind": "offer",
        "external_ref": f"nasa-{reference}",
        "language": "en",
        "title": cut(record["title"], TITLE_MAX),
        "summary": first_sentences(abstract, SUMMARY_MAX),
        "description": with_footer(abstract, "\n".join(lines)),
        "field_codes": NASA_FIELDS[category][:3],
        "keywords": keyword_list([category, "NASA", center] + (["software"] if is_software else [])),
        "transfer_forms": ["non_exclusive_licence"],
        "organization_name": NASA_ORGANIZATION,
        "source": NASA_SOURCE,
    }
    if is_software:
        row["ip_type"] = "copyright"
        if release in NASA_FREE_RELEASES:
            row["price_type"] = "fixed"
            row["price_min"] = 0
    else:
        row["ip_type"] = "patent"
        status = patent_status(abstract)
        if status:
            row["ip_status"] = status
    return row


def convert_nasa(source: Path) -> tuple[list[dict], Counter]:
    rows: list[dict] = []
    stats: Counter = Counter()
    for record in read_jsonl(source / "nasa_t2" / "nasa_t2_patents.jsonl"):
        rows.append(nasa_offer(record))
        stats["patents"] += 1
    for record in read_jsonl(source / "nasa_t2" / "nasa_t2_softwares.jsonl"):
        if record["release_type"].strip() not in NASA_SOFTWARE_RELEASES:
            stats["software left out (US-only release)"] += 1
            continue
        rows.append(nasa_offer(record))
        stats["software"] += 1
    return rows, stats


# --- SBIR needs ----------------------------------------------------------------------------------------------------


def sections(description: str) -> dict[str, str]:
    """Split a DoD-style topic (OBJECTIVE:, DESCRIPTION:, PHASE I: …) into its sections; '' holds any preamble."""
    parts = SBIR_SECTION.split(description)
    result = {"": parts[0]}
    for name, body in zip(parts[1::2], parts[2::2], strict=True):
        result[name.strip().upper()] = (result.get(name.strip().upper(), "") + "\n" + body).strip()
    return result


def themes(title: str, text: str) -> list[tuple[str, int]]:
    """(field code, score) of the themes found in a topic, strongest first; a hit in the title counts three times."""
    scores = []
    for code, pattern, weight in SBIR_THEME_RES:
        hits = 3 * len(pattern.findall(title)) + len(pattern.findall(text))
        if hits:
            scores.append((code, weight * min(hits, 6)))
    return sorted(scores, key=lambda item: -item[1])


def field_codes(found: list[tuple[str, int]], agency: str) -> list[str]:
    """The strongest theme's field, plus up to two more that score at least half as much."""
    if not found:
        return [SBIR_AGENCY_FIELDS[agency]]
    top = found[0][1]
    return [code for code, score in found if score * 2 >= top][:3]


def sentences(text: str) -> set[str]:
    return {part.strip() for part in SENTENCE_SPLIT.split(text) if len(part.strip()) >= BOILERPLATE_MIN_LENGTH}


def boilerplate(records: list[dict]) -> set[str]:
    """Sentences repeated across many topics."""
    counts: Counter = Counter()
    for record in records:
        counts.update(sentences(record["description"] or ""))
    return {sentence for sentence, n in counts.items() if n >= BOILERPLATE_MIN_RECORDS}


def sbir_need(record: dict, found: list[tuple[str, int]], common: set[str]) -> dict:
    text = record["description"]
    for sentence in sentences(text) & common:
        text = text.replace(sentence, "")
    text = SBIR_GLUED_HEADING.sub("\n", SBIR_CENTERS.sub("", text))
    text = SBIR_AWARD_TERMS.sub("", SBIR_META_LINE.sub("", text))
    text = squeeze(SBIR_STALE_SENTENCE.sub("", text))
    parts = sections(text)
    agency = record["agency"]
    sub_agencies = [s for s in record.get("sub_agency") or [] if s]
    if "OBJECTIVE" in parts and "DESCRIPTION" in parts:
        summary = first_sentences(parts["OBJECTIVE"], SUMMARY_MAX)
        body = parts["DESCRIPTION"]
        phases = [f"Phase {name[6:]}: {parts[name]}" for name in ("PHASE I", "PHASE II") if parts.get(name)]
        requirements = cut("\n\n".join(phases), TEXT_MAX) if phases else ""
        keywords = re.split(r"[,;]", parts.get("KEYWORDS", ""))
    else:
        summary = first_sentences(SBIR_HEADING_LINE.sub("", text), SUMMARY_MAX)
        body, requirements, keywords = text, "", []
    summary = summary or first_sentences(body, SUMMARY_MAX) or cut(record["title"], SUMMARY_MAX)
    by = agency + (f" ({', '.join(sub_agencies)})" if sub_agencies else "")
    phase = ", ".join(record.get("phase") or [])
    footer = (
        f"{record['program'].replace(',', '/')} topic ({phase}) of the {by}, released {record['release_date']}, "
        f"closed {record['close_date']}. Solicitation: {record['solicitation_url']}"
    )
    codes = field_codes(found, agency)
    row: dict = {
        "kind": "need",
        "external_ref": record["need_id"],
        "language": "en",
        "title": cut(record["title"], TITLE_MAX),
        "summary": summary,
        "description": with_footer(body, footer),
        "field_codes": codes,
        "organization_name": agency,
        "source": SBIR_SOURCE,
    }
    if requirements:
        row["technical_requirements"] = requirements
    keywords = keyword_list(keywords)
    if keywords:
        row["keywords"] = keywords
    return row


def convert_sbir(source: Path, limit: int) -> tuple[list[dict], Counter]:
    stats: Counter = Counter()
    candidates: list[tuple[int, int, dict, list]] = []
    seen_titles: set[str] = set()
    records = list(read_jsonl(source / "sbir" / "sbir_topics_needs.jsonl"))
    common = boilerplate(records)
    for position, record in enumerate(records):
        title, text = squeeze(record["title"]), record["description"] or ""
        if record["agency"] not in SBIR_AGENCIES:
            stats["unknown agency"] += 1
            continue
        if SBIR_EXCLUDE.search(title) or SBIR_EXCLUDE.search(text):
            stats["left out: export-controlled or military"] += 1
            continue
        if SBIR_GENERIC_TITLES.match(title) or not re.search(r"[a-z]", title) or len(text) < 400:
            stats["left out: program announcement, not a need"] += 1
            continue
        if title.casefold() in seen_titles:
            stats["left out: duplicate title"] += 1
            continue
        seen_titles.add(title.casefold())
        found = themes(title, text)
        candidates.append((sum(score for _code, score in found), position, record, found))
    candidates.sort(key=lambda item: (-item[0], item[1]))
    kept = sorted(candidates[:limit], key=lambda item: item[1])
    stats["kept"] = len(kept)
    stats["left out: less relevant to the Delta"] = max(len(candidates) - limit, 0)
    return [sbir_need(record, found, common) for _score, _position, record, found in kept], stats


# --- main ----------------------------------------------------------------------------------------------------------


def check(rows: list[dict]) -> None:
    """Fail loudly on a row the importer would refuse for its length or shape."""
    refs = Counter(row["external_ref"] for row in rows)
    duplicates = [ref for ref, n in refs.items() if n > 1]
    if duplicates:
        raise SystemExit(f"duplicate external_ref: {duplicates[:5]}")
    for row in rows:
        assert len(row["title"]) <= TITLE_MAX and len(row["summary"]) <= SUMMARY_MAX, row["external_ref"]
        for name in ("description", "technical_requirements"):
            assert len(row.get(name, "")) <= TEXT_MAX, (row["external_ref"], name)
        assert 1 <= len(row["field_codes"]) <= 3 and len(row.get("keywords", [])) <= KEYWORDS_MAX


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE, help="the shared listings folder")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where to write the .jsonl files")
    parser.add_argument("--sbir-limit", type=int, default=SBIR_LIMIT, help="how many SBIR topics to keep")
    args = parser.parse_args(argv)
    if not args.source.is_dir():
        print(f"no source data at {args.source}", file=sys.stderr)
        return 1
    for name, (rows, stats) in {
        "nasa_offers.jsonl": convert_nasa(args.source),
        "sbir_needs.jsonl": convert_sbir(args.source, args.sbir_limit),
    }.items():
        check(rows)
        path = args.out / name
        write_jsonl(path, rows)
        details = ", ".join(f"{key}: {value}" for key, value in stats.items())
        print(
            f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}: {len(rows)} rows, "
            f"{path.stat().st_size / 1024:.0f} KiB ({details})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
