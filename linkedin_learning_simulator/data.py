"""Deterministic synthetic data: a catalog (account, groups, learners, contents) and per-day facts.

Each day's facts come from their own RNG seeded by (seed, day), so any day can be generated alone
and cached; the clock only decides which facts are visible, never what they are.
"""
from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass

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
TOPICS = ["Python", "Excel", "Leadership", "SQL", "Negotiation", "Cloud", "Statistics", "Design",
          "Public Speaking", "Project Management", "Kubernetes", "Accounting"]
CUSTOM_PROVIDERS = [("Acme Corp Academy", "ORGANIZATION"), ("Coursera", "THIRD_PARTY"),
                    ("Udemy Business", "THIRD_PARTY")]


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
    source: str          # LINKEDIN_LEARNING or CUSTOM_CONTENT
    custom_kind: str     # ORGANIZATION / THIRD_PARTY for custom content, "" otherwise
    asset_type: str
    language: str
    country: str
    duration_s: int
    website_url: str


def _ascii_slug(name: str) -> str:
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return ".".join(part for part in "".join(c if c.isalnum() else " " for c in text).lower().split())


class Dataset:
    """Catalog plus cached per-day facts for one seed/size; immutable apart from its caches."""

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
        kinds, weights = zip(*ASSET_WEIGHTS)
        asset = rng.choices(kinds, weights)[0]
        language, country = rng.choice(LOCALES)
        topic = TOPICS[c % len(TOPICS)]
        if c % 6 == 5:  # every sixth item is custom content
            provider, kind = CUSTOM_PROVIDERS[(c // 6) % len(CUSTOM_PROVIDERS)]
            urn, source, name = f"urn:li:learningCustomContent:{5000 + c}", "CUSTOM_CONTENT", f"{topic} at Work (internal)"
        else:
            provider, kind, source = "LinkedIn", "", "LINKEDIN_LEARNING"
            prefix = "lyndaCourse" if c % 5 == 4 else "learningCourse"
            urn, name = f"urn:li:{prefix}:{2000 + c}", f"{topic} Essentials {c + 1}"
        return Content(index=c, urn=urn, name=name, provider=provider, source=source, custom_kind=kind,
                       asset_type=asset, language=language, country=country,
                       duration_s=rng.randint(300, 14400),
                       website_url=f"https://www.linkedin.com/learning/{_ascii_slug(name).replace('.', '-')}-{c}")

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
