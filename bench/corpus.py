"""Deterministic, seeded actors and article texts for the benchmarks (pure: no database).

Everything here is a function of (seed, counts) only, so the same seed gives the same
gazetteer and the same articles on every machine. `generate.py` turns these into feed files
and databases.
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import itertools
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from bench import words as W

# The generated world's "now": published dates run back from here.
EPOCH = datetime(2026, 11, 1)
SPAN_DAYS = 730


@dataclass(frozen=True)
class GenActor:
    """One generated actor: a display name, its kind and its aliases (name included)."""

    index: int  # 0-based position; the database id is index + 1
    slug: str
    name: str
    kind: str
    aliases: tuple[str, ...]
    country: str | None = None
    bioguide: str | None = None  # current legislators only
    role: tuple[str, str, str, str] | None = None  # (title, party, state, start date)


@dataclass(frozen=True)
class GenMention:
    actor: int  # GenActor.index
    alias: str  # the words used in the text
    start: int  # character offset in GenArticle.text


@dataclass(frozen=True)
class GenArticle:
    """A generated news item of about 100 words mentioning a few actors."""

    index: int
    title: str
    summary: str
    published: datetime
    mentions: tuple[GenMention, ...]

    @property
    def text(self) -> str:
        """Same layout as Article.text(): title, blank line, summary."""
        return f"{self.title}\n\n{self.summary}"

    @property
    def url(self) -> str:
        return f"https://news.example.org/{self.published:%Y/%m}/story-{self.index}"

    @property
    def guid(self) -> str:
        return f"urn:bench:article:{self.index}"


def _rng(seed: int, stream: str) -> random.Random:
    """An independent random stream per purpose, so adding one never shifts another."""
    digest = hashlib.sha256(f"{seed}:{stream}".encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def _slug(text: str) -> str:
    out = "".join(ch.lower() if ch.isalnum() else "-" for ch in text)
    return "-".join(p for p in out.split("-") if p)[:100]


def load_legislators(path: Path) -> list[dict]:
    """Current legislators (congress-legislators YAML), as plain dicts; [] if unreadable."""
    import yaml

    try:
        with path.open("rb") as fh:
            data = yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (OSError, yaml.YAMLError):
        return []
    return data if isinstance(data, list) else []


def _legislator(index: int, p: dict) -> GenActor | None:
    name = p.get("name") or {}
    first, last = name.get("first"), name.get("last")
    if not first or not last:
        return None
    full = name.get("official_full") or f"{first} {last}"
    term = (p.get("terms") or [{}])[-1]
    senator = term.get("type") == "sen"
    title = "Senator" if senator else "Representative"
    aliases = [
        full,
        f"{first} {last}",
        f"{'Sen.' if senator else 'Rep.'} {last}",
        f"{title} {first} {last}",
    ]
    if name.get("nickname"):
        aliases.append(f"{name['nickname']} {last}")
    if name.get("middle"):
        aliases.append(f"{first} {name['middle'][0]}. {last}")
    bioguide = (p.get("id") or {}).get("bioguide")
    role = (
        title,
        str(term.get("party") or ""),
        str(term.get("state") or ""),
        str(term.get("start") or ""),
    )
    return GenActor(
        index,
        f"{_slug(full)}-{(bioguide or str(index)).lower()}",
        full,
        "person",
        tuple(dict.fromkeys(aliases)),
        "US",
        bioguide,
        role,
    )


def _stems(rng: random.Random, n: int) -> list[str]:
    """n distinct pronounceable invented names ("Velomar", "Kitex")."""
    seen: set[str] = set()
    out: list[str] = []
    while len(out) < n:
        parts = [*rng.choices(W.SYLLABLES, k=rng.choice((2, 2, 3))), rng.choice(W.ENDINGS)]
        stem = "".join(parts).capitalize()
        if stem not in seen and len(stem) >= 4:
            seen.add(stem)
            out.append(stem)
    return out


def _title(text: str) -> str:
    return " ".join(w if w.isupper() else w.capitalize() for w in text.split())


def _acronym(name: str) -> str:
    """Initials of the capitalized words; "" when shorter than three letters (too noisy)."""
    out = "".join(w[0] for w in name.split() if w[0].isupper())
    return out if len(out) >= 3 else ""


# How many actors of each kind, per 10,000 (people fill the rest).
_ORG_SHARE = {
    "company": 1900,
    "ai_lab": 300,
    "agency": 500,
    "committee": 400,
    "media_outlet": 400,
    "organization": 600,
    "court": 60,
}


def gazetteer(seed: int, n_actors: int, legislators: list[dict] | None = None) -> list[GenActor]:
    """n_actors actors with at least four aliases each on average (>= 40k at 10k actors).

    Current legislators come first when given (from the congress-legislators file), then
    countries, organizations of every kind, and generated people.
    """
    rng = _rng(seed, "gazetteer")
    actors: list[GenActor] = []

    def add(name: str, kind: str, aliases: list[str], **kw: object) -> None:
        if len(actors) < n_actors:
            slug = f"{_slug(name)}-{len(actors) + 1}"
            uniq = tuple(dict.fromkeys(a for a in [name, *aliases] if a))
            actors.append(GenActor(len(actors), slug, name, kind, uniq, **kw))  # type: ignore[arg-type]

    for p in legislators or []:
        actor = _legislator(len(actors), p) if len(actors) < n_actors else None
        if actor:
            actors.append(actor)
    for country in W.COUNTRIES:
        add(country[0], "country", list(country[1:]))
    scale = n_actors / 10_000
    stems = iter(_stems(rng, n_actors))
    topics = [f"{_title(a)} and {_title(b)}" for a, b in itertools.permutations(W.TOPICS, 2)]
    rng.shuffle(topics)
    topic_iter = iter(topics)
    for kind, share in _ORG_SHARE.items():
        for _ in range(int(share * scale)):
            s = next(stems)
            if kind == "company":
                name = f"{s} {rng.choice(W.COMPANY_SUFFIXES)}"
                add(name, kind, [s, f"{name} Inc.", f"{s} Corp.", s[:4].upper()])
            elif kind == "ai_lab":
                add(f"{s} AI", kind, [s, f"{s} Labs", f"{s} Research", f"{s} AI Inc."])
            elif kind in ("agency", "committee"):
                topic = next(topic_iter)
                forms = W.AGENCY_FORMS if kind == "agency" else W.COMMITTEE_FORMS
                name = rng.choice(forms).format(t=topic)
                word = "office" if kind == "agency" else "committee"
                add(
                    name,
                    kind,
                    [
                        _acronym(name),
                        f"the {topic} {word}",
                        f"{topic} {word.title()}",
                        name.replace(" and ", " & "),
                    ],
                )
            elif kind == "media_outlet":
                name = "The " + rng.choice(W.OUTLET_FORMS).format(c=s)
                add(name, kind, [name[4:], f"{s.lower()}.com", f"{s} News", _acronym(name[4:])])
            elif kind == "court":
                name = rng.choice(W.COURT_FORMS).format(s=s)
                add(name, kind, [_acronym(name), f"the {s} court", f"{s} judges"])
            else:
                name = rng.choice(W.ORG_FORMS).format(s=s)
                add(name, kind, [s, _acronym(name), f"the {s} group", name.replace(" ", "-")])
    pairs = rng.sample(
        range(len(W.FIRST_NAMES) * len(W.LAST_NAMES)),
        min(n_actors, len(W.FIRST_NAMES) * len(W.LAST_NAMES)),
    )
    for k in pairs:
        if len(actors) >= n_actors:
            break
        first, last = W.FIRST_NAMES[k % len(W.FIRST_NAMES)], W.LAST_NAMES[k // len(W.FIRST_NAMES)]
        middle = rng.choice(W.FIRST_NAMES)
        add(
            f"{first} {last}",
            "person",
            [
                f"{first} {middle[0]}. {last}",
                f"{first[0]}. {last}",
                f"{first} {middle} {last}",
                f"{first[0]}. {middle[0]}. {last}",
            ],
        )
    return actors


class Mentioner:
    """Draws actors with Zipf-like popularity: a few are everywhere, most are rare."""

    def __init__(self, actors: list[GenActor], seed: int, exponent: float = 1.05) -> None:
        order = list(range(len(actors)))
        _rng(seed, "popularity").shuffle(order)
        self.order = order
        self.cum = list(itertools.accumulate(1.0 / (r + 1) ** exponent for r in range(len(order))))
        self.actors = actors

    def draw(self, rng: random.Random) -> GenActor:
        r = rng.random() * self.cum[-1]
        return self.actors[self.order[bisect.bisect_left(self.cum, r)]]


VOCABULARY = 20_000


@functools.cache
def vocabulary(seed: int, size: int = VOCABULARY) -> tuple[tuple[str, ...], tuple[float, ...]]:
    """The long tail of the language: `size` invented lowercase words, most frequent first,
    with Zipf cumulative weights, so full-text search sees a few very common terms and
    many rare ones (as in real news), not only the small fixed word lists."""
    rng = _rng(seed, "vocabulary")
    seen: set[str] = set()
    out: list[str] = []
    while len(out) < size:
        word = "".join(rng.choices(W.SYLLABLES, k=rng.choice((2, 3, 3, 4))))
        if len(word) >= 5 and word not in seen:
            seen.add(word)
            out.append(word)
    cum = tuple(itertools.accumulate(1.0 / (r + 1) for r in range(size)))
    return tuple(out), cum


def _tail_word(rng: random.Random, vocab: tuple[tuple[str, ...], tuple[float, ...]]) -> str:
    words, cum = vocab
    return words[bisect.bisect_left(cum, rng.random() * cum[-1])]


def _sentence(rng: random.Random, subject: str, vocab: tuple) -> str:
    c = rng.choice
    tail = " ".join(rng.choices(W.FILLER, k=rng.randint(2, 5)))
    return (
        f"{subject} {c(W.VERBS)} the {c(W.ADJECTIVES)} {c(W.NOUNS)} on {c(W.TOPICS)} "
        f"{_tail_word(rng, vocab)} {tail} {_tail_word(rng, vocab)} {c(W.NOUNS)}."
    )


def articles(
    seed: int,
    actors: list[GenActor],
    start: int,
    count: int,
    words: int = 100,
    stream: str = "articles",
) -> list[GenArticle]:
    """Articles start..start+count-1 of a stream; each is independent of the others, so any
    slice can be generated alone (and in any order) with the same result."""
    mentioner = Mentioner(actors, seed)
    vocab = vocabulary(seed)
    out = []
    for i in range(start, start + count):
        rng = _rng(seed, f"{stream}:{i}")
        k = min(len(actors), rng.choice((1, 2, 2, 3, 3, 3, 4, 5)))
        chosen: dict[int, GenActor] = {}
        while len(chosen) < k:
            a = mentioner.draw(rng)
            chosen.setdefault(a.index, a)
        lead = next(iter(chosen.values()))
        lead_alias = rng.choice(lead.aliases)
        title = (
            f"{lead_alias} {rng.choice(W.VERBS)} {rng.choice(W.ADJECTIVES)} "
            f"{rng.choice(W.NOUNS)} on {rng.choice(W.TOPICS)}"
        )
        mentions = [GenMention(lead.index, lead_alias, 0)]
        offset = len(title) + 2
        parts: list[str] = []
        n_words = 0
        subjects = list(chosen.values())[1:]
        while n_words < words:
            if subjects:
                actor = subjects.pop(0)
                alias = rng.choice(actor.aliases)
                mentions.append(GenMention(actor.index, alias, offset))
            else:
                alias = rng.choice(("Officials", "Lawmakers", "The agency", "Critics", "Staff"))
            sentence = _sentence(rng, alias, vocab)
            parts.append(sentence)
            offset += len(sentence) + 1
            n_words += sentence.count(" ") + 1
        published = EPOCH - timedelta(seconds=rng.randrange(SPAN_DAYS * 86400))
        out.append(GenArticle(i, title, " ".join(parts), published, tuple(mentions)))
    return out
