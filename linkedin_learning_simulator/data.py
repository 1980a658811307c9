"""Deterministic synthetic data: account, groups, learners, contents (the items reports name) and
per-day facts; the learning catalog (catalog.py) is derived from the contents on first use.

Each day's facts come from their own RNG seeded by (seed, day), so any day can be generated alone
and cached; the clock only decides which facts are visible, never what they are.
"""
from __future__ import annotations

import random
import threading
import unicodedata
from dataclasses import dataclass

from . import l10n
from .gcpause import gc_paused
from .lru import LRU
from .settings import DAY_MS, SimulatorSettings, to_epoch_ms

ACCOUNT_URN = "urn:li:enterpriseAccount:999"

FIRST = ["Anna", "Ben", "Chloé", "David", "Elif", "Farid", "Grete", "Hiro", "Inès", "Jonas",
         "Kasia", "Lars", "Mía", "Noah", "Olga", "Pedro", "Quinn", "Rania", "Søren", "Tomás"]
LAST = ["Schmidt", "Müller", "García", "Smith", "Kowalski", "Dubois", "Rossi", "Yılmaz",
        "Nakamura", "O'Brien", "Lefèvre", "Novák", "Johansson", "Silva", "Kim"]
# Names a client must pass through untouched (non-ASCII, CJK, apostrophes).
SPECIAL = ["José Núñez", "Zoë Ørsted", "李雷", "Åsa Öberg", "Łukasz Żółć", "Маша Иванова"]
GROUP_NAMES = ["Sales", "Engineering", "Marketing", "Support", "Finance", "People", "Legal",
               "Operations", "Product", "Design"]
LOCATIONS = ["Berlin", "Paris", "Madrid", "New York", "Tokyo", "São Paulo", "Kraków", "Zürich"]
LOCALES = [("en", "US")] * 5 + [("de", "DE"), ("fr", "FR"), ("es", "ES"), ("ja", "JP"), ("en", "GB")]
ASSET_WEIGHTS = [("COURSE", 45), ("VIDEO", 35), ("LEARNING_PATH", 6), ("ARTICLE", 5), ("BOOK", 3),
                 ("AUDIO", 2), ("DOCUMENT", 2), ("EVENT", 1), ("LEARNING_COLLECTION", 1)]
# LinkedIn Learning's own items are only of the types its catalog (learningAssets) lists, so that
# every LinkedIn Learning contentUrn a report returns joins to an asset; the other types are
# custom or third-party content. Same number of RNG draws either way: the world stays seed-stable.
LINKEDIN_WEIGHTS = [("COURSE", 50), ("VIDEO", 40), ("LEARNING_PATH", 10)]
TOPICS = ["Python", "Excel", "Leadership", "SQL", "Negotiation", "Cloud", "Statistics", "Design",
          "Public Speaking", "Project Management", "Kubernetes", "Accounting"]
ORG_PROVIDER = "Acme Corp Academy"
THIRD_PARTY_PROVIDERS = ["Coursera", "Udemy Business"]
LINKEDIN_SOURCE, CUSTOM_SOURCE, THIRD_PARTY_SOURCE = "LINKEDIN_LEARNING", "CUSTOM_CONTENT", "THIRD_PARTY"
FIRST_CATALOG_ID = 2000  # report item c of LinkedIn Learning has catalog id 2000 + c


def linkedin_urn(asset_type: str, ident: int) -> str:
    """The real URN forms: a video's URN names its course (the course of a reported video item
    has the item's id; the video is that course's first)."""
    if asset_type == "COURSE":
        return f"urn:li:lyndaCourse:{ident}"
    if asset_type == "LEARNING_PATH":
        return f"urn:li:lyndaLearningPath:{ident}"
    return video_urn(ident, ident * 100)


def video_urn(course_id: int, number: int) -> str:
    return f"urn:li:lyndaVideo:(urn:li:lyndaCourse:{course_id},{number})"


@dataclass(frozen=True)
class Learner:
    index: int
    urn: str
    profile_urn: str
    name: str
    email: str
    unique_user_id: str
    groups: tuple  # group indexes
    group_names: tuple
    custom_attributes: dict
    p_active: float


@dataclass(frozen=True)
class Content:
    index: int
    urn: str
    name: str
    provider: str
    source: str          # LINKEDIN_LEARNING, CUSTOM_CONTENT (= live ORGANIZATION) or THIRD_PARTY
    asset_type: str
    language: str
    country: str
    duration_s: int
    website_url: str
    topic: int           # index into TOPICS (and into the catalog's topic classifications)


def _ascii_slug(name: str) -> str:
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return ".".join(part for part in "".join(c if c.isalnum() else " " for c in text).lower().split())


class Dataset:
    """Account, groups, learners, contents plus cached per-day facts for one seed/size; immutable apart
    from its caches and its learning catalog (whose assets `touch` can change)."""

    def __init__(self, settings: SimulatorSettings, version: int = 0):
        self.version = version
        self.seed = settings.seed
        now_ms = to_epoch_ms(settings.now)
        # Data covers the `days` whole UTC days before today plus today (the clock hides the rest).
        self.first_day = now_ms // DAY_MS - settings.days
        self.start_ms = self.first_day * DAY_MS
        rng = random.Random(f"{settings.seed}:catalog")
        self.groups = [(f"urn:li:learnerGroup:{100 + g}",
                        GROUP_NAMES[g % len(GROUP_NAMES)] + ("" if g < len(GROUP_NAMES) else f" {g // len(GROUP_NAMES) + 1}"))
                       for g in range(max(0, settings.groups))]
        self.learners = [self._make_learner(rng, i) for i in range(max(0, settings.learners))]
        self.contents = [self._make_content(rng, c) for c in range(max(0, settings.courses))]
        self.members = [[] for _ in self.groups]
        for learner in self.learners:
            for g in learner.groups:
                self.members[g].append(learner.index)
        self._days = LRU(max_items=64)
        self.now_ms = now_ms  # the clock when the world was built: catalog dates lie before it
        self._catalog = None
        self._catalog_lock = threading.Lock()

    def catalog(self):
        """The learning catalog of this world, built on first use, so runs that only read reports
        (the benchmarks' 20,000-learner worlds) never pay for it."""
        if self._catalog is None:
            with self._catalog_lock:
                if self._catalog is None:
                    from .catalog import Catalog  # catalog.py imports this module
                    self._catalog = Catalog(self)
        return self._catalog

    def _make_learner(self, rng: random.Random, i: int) -> Learner:
        if i % 7 == 3:
            name = SPECIAL[(i // 7) % len(SPECIAL)]
        else:
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        slug = _ascii_slug(name) or "learner"
        groups: tuple = ()
        if self.groups:
            k = 1 if rng.random() < 0.6 or len(self.groups) == 1 else 2
            groups = tuple(sorted(rng.sample(range(len(self.groups)), k)))
        dept = self.groups[groups[0]][1] if groups else "General"
        attrs = {"Department": [dept], "Location": [rng.choice(LOCATIONS)]}
        if rng.random() < 0.3:
            attrs["Cost Center"] = [f"CC-{rng.randint(100, 999)}"]
        return Learner(
            index=i, urn=f"urn:li:learner:{1000 + i}", profile_urn=f"urn:li:person:p{self.seed}x{1000 + i}",
            name=name, email=f"{slug}.{1000 + i}@example.com", unique_user_id=f"EMP{1000 + i:06d}",
            groups=groups, group_names=tuple(self.groups[g][1] for g in groups),
            custom_attributes=attrs, p_active=rng.uniform(0.1, 0.6))

    def _make_content(self, rng: random.Random, c: int) -> Content:
        custom = c % 6 == 5  # every sixth item is custom content
        kinds, weights = zip(*(ASSET_WEIGHTS if custom else LINKEDIN_WEIGHTS))
        asset = rng.choices(kinds, weights)[0]
        language, country = rng.choice(LOCALES)
        topic = c % len(TOPICS)
        duration = rng.randint(300, 14400)
        if custom:
            urn = f"urn:li:learningCustomContent:{5000 + c}"  # no catalog entry, as on the live service
            if c % 30 == 29:  # a few items from third-party providers (none in worlds under 30 items)
                provider, source = THIRD_PARTY_PROVIDERS[(c // 30) % len(THIRD_PARTY_PROVIDERS)], THIRD_PARTY_SOURCE
                name = f"{TOPICS[topic]} Professional Certificate"
            else:
                provider, source, name = ORG_PROVIDER, CUSTOM_SOURCE, f"{TOPICS[topic]} at Work (internal)"
            slug = _ascii_slug(name)
        else:
            provider, source = "LinkedIn", LINKEDIN_SOURCE
            urn = linkedin_urn(asset, FIRST_CATALOG_ID + c)
            name = l10n.title(asset, TOPICS[topic], c + 1, language)
            slug = _ascii_slug(l10n.title(asset, TOPICS[topic], c + 1, "en"))  # URLs stay English
            if asset == "VIDEO":
                duration = 60 + duration % 840  # a video runs minutes, not hours
        return Content(index=c, urn=urn, name=name, provider=provider, source=source,
                       asset_type=asset, language=language, country=country, duration_s=duration,
                       website_url=f"https://www.linkedin.com/learning/{slug.replace('.', '-')}-{c}", topic=topic)

    def day_facts(self, day: int) -> list:
        """Facts of one UTC day (day = epoch ms // DAY_MS): tuples (learner, content|-1, logins,
        views, seconds, completions, ts). content -1 is a login fact."""
        if day < self.first_day:
            return []
        facts = self._days.get(day)
        if facts is None:
            with gc_paused():
                facts = self._generate_day(day)
            self._days.put(day, facts)
        return facts

    def _generate_day(self, day: int) -> list:
        rng = random.Random(f"{self.seed}:day:{day}")
        rand, randrange = rng.random, rng.randrange
        base = day * DAY_MS
        n_contents = len(self.contents)
        facts = []
        for learner in self.learners:
            if rand() >= learner.p_active:
                continue
            i = learner.index
            facts.append((i, -1, 1 + randrange(3), 0, 0, 0, base + randrange(DAY_MS)))
            if not n_contents:
                continue
            for _ in range(randrange(4)):
                views = 1 + randrange(5)
                facts.append((i, randrange(n_contents), 0, views, views * (30 + randrange(600)),
                              1 if rand() < 0.2 else 0, base + randrange(DAY_MS)))
        return facts
