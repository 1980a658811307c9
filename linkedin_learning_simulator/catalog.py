"""The learning catalog behind learningAssets and learningClassifications, derived from a Dataset.

Every LinkedIn Learning item a report can name is an asset here under the same URN: a reported
course or learning path is that asset, a reported video is the first video of a course made for
it. The catalog adds courses and paths nobody watched, and every course's chapters and videos (the
VIDEO assets). Each asset is published in its report locale and in en_US, some also in de_DE or
fr_FR, with localized titles. Some assets are retired. Built once per world with its own RNG, so
reports stay what they were; `touch` changes assets later (new lastUpdatedAt, or retirement).

Record shapes follow LEARNING_CATALOG_NOTES.md §2 (TOT's schemas and fixtures).
"""
from __future__ import annotations

import random
import threading
from typing import Optional
from urllib.parse import quote

from . import l10n, taxonomy
from .data import (ACCOUNT_URN, FIRST, FIRST_CATALOG_ID, LAST, LINKEDIN_SOURCE, LOCALES, TOPICS, _ascii_slug,
                   linkedin_urn, video_urn)
from .gcpause import gc_paused
from .settings import DAY_MS

CATALOG_TYPES = ("COURSE", "VIDEO", "LEARNING_PATH")
LEVELS = ("BEGINNER", "INTERMEDIATE", "ADVANCED")
EN_US = ("en", "US")
CATALOG_LOCALES = tuple(dict.fromkeys(LOCALES))  # every locale the world knows, en_US first
ACCOUNT_ID = ACCOUNT_URN.rsplit(":", 1)[1]


def catalog_locale(language: str, country: Optional[str]) -> Optional[tuple]:
    """The world's locale for a request's language (and country, if given), or None."""
    return next((loc for loc in CATALOG_LOCALES if loc[0] == language and (not country or loc[1] == country)), None)


class Asset:
    """One catalog asset. Mutable only through Catalog.touch (under the catalog's lock)."""
    __slots__ = ("urn", "type", "ident", "number", "topic", "locales", "level", "duration_s", "published_at",
                 "updated_at", "retired_at", "chapters", "courses", "parent", "position", "skills", "author",
                 "popularity", "web_url", "content", "rank", "touches")

    def __init__(self, **fields):
        for name in self.__slots__:
            setattr(self, name, fields.get(name))


def _loc(locale: tuple) -> dict:
    return {"language": locale[0], "country": locale[1]}


def _text(value: str, loc: dict) -> dict:
    return {"value": value, "locale": loc}


def _slug(text: str) -> str:
    return _ascii_slug(text).replace(".", "-")


class Catalog:
    def __init__(self, ds):
        self.lock = threading.RLock()
        self.revision = 0  # bumped by every touch: part of the page-cache key
        self.by_type = {kind: [] for kind in CATALOG_TYPES}
        self.by_urn: dict = {}
        self.chapters: dict = {}  # chapter URN -> (course, chapter position)
        self._refs: dict = {}  # (classification index, locale) -> rendered classification
        with gc_paused():
            self._build(ds)

    # --- building -------------------------------------------------------------------------------
    def _build(self, ds) -> None:
        rng = random.Random(f"{ds.seed}:learning-catalog")
        self._horizon, self._now = ds.start_ms, ds.now_ms
        slots = [(FIRST_CATALOG_ID + c.index, c.asset_type, c.topic, (c.language, c.country), c)
                 for c in ds.contents if c.source == LINKEDIN_SOURCE]
        n = len(ds.contents)
        extra_courses, extra_paths = max(3, n // 4), max(1, n // 20)
        next_id = FIRST_CATALOG_ID + n
        for j in range(extra_courses + extra_paths):
            kind = "COURSE" if j < extra_courses else "LEARNING_PATH"
            slots.append((next_id + j, kind, rng.randrange(len(TOPICS)), rng.choice(LOCALES), None))
        for ident, kind, topic, locale, content in slots:
            if kind == "LEARNING_PATH":
                self._add(self._top(rng, "LEARNING_PATH", ident, topic, locale, content))
            else:
                self._course(rng, ident, topic, locale, content, video_item=kind == "VIDEO")
        courses = self.by_type["COURSE"]
        for path in self.by_type["LEARNING_PATH"]:
            same = [c for c in courses if c.topic == path.topic]
            picked = rng.sample(same, min(2, len(same)))
            rest = [c for c in courses if c not in picked]
            picked += rng.sample(rest, min(3 - len(picked), len(rest)))
            path.courses = tuple(picked)
            if path.duration_s is None:
                path.duration_s = sum(c.duration_s for c in picked)
        everything = [a for kind in CATALOG_TYPES for a in self.by_type[kind]]
        ranks = list(range(len(everything)))
        rng.shuffle(ranks)  # the order touch() walks through the assets
        for asset, rank in zip(everything, ranks):
            asset.rank, asset.touches = rank, 0

    def _add(self, asset: Asset) -> Asset:
        self.by_type[asset.type].append(asset)
        self.by_urn[asset.urn] = asset
        return asset

    def _top(self, rng, kind, ident, topic, locale, content) -> Asset:
        """A course or learning path with its locales, dates, retirement, skills and author.
        `content` is the report item of the slot: the asset itself, or the video it is made for."""
        locales = [locale] + ([EN_US] if locale != EN_US else [])
        for extra, share in ((("de", "DE"), 0.25), (("fr", "FR"), 0.2)):
            if rng.random() < share and extra not in locales:
                locales.append(extra)
        published = self._horizon - rng.randrange(30, 2500) * DAY_MS - rng.randrange(DAY_MS)
        updated = published + rng.randrange(max(1, self._now - published))
        # A retired report item keeps its activity: the catalog must still let it be joined.
        retire = content.index % 10 == 7 if content is not None else rng.random() < 0.15
        retired = None
        if retire:
            retired = updated + rng.randrange(max(1, self._now - updated))
            updated = retired
        skills = (taxonomy.TOPIC_SKILLS[topic],)
        if rng.random() < 0.5:
            skills += (taxonomy.SHARED_SKILLS[rng.randrange(len(taxonomy.SHARED_SKILLS))],)
        number = ident - FIRST_CATALOG_ID + 1
        english = l10n.title(kind, TOPICS[topic], number, "en")
        own = content if content is not None and content.asset_type == kind else None
        return Asset(urn=linkedin_urn(kind, ident), type=kind, ident=ident, number=number, topic=topic,
                     locales=tuple(locales), level=rng.choice(LEVELS),
                     duration_s=own.duration_s if own is not None else None,
                     published_at=published, updated_at=updated, retired_at=retired, chapters=(), courses=(),
                     parent=None, position=None, skills=skills,
                     author=(5_500_000 + rng.randrange(100_000), rng.choice(FIRST), rng.choice(LAST)),
                     popularity=rng.randrange(1, 100_000),
                     web_url=own.website_url if own is not None else
                     f"https://www.linkedin.com/learning/{_slug(english)}-{ident}",
                     content=own)

    def _course(self, rng, ident, topic, locale, content, video_item: bool) -> None:
        """A course, its chapters and videos; for a reported video the course is made around it
        (the video is its first) and the course itself is not in any report."""
        course = self._add(self._top(rng, "COURSE", ident, topic, locale, content))
        sizes = [2 + rng.randrange(2) for _ in range(2 + rng.randrange(2))]  # videos per chapter
        durations = [rng.randrange(60, 900) for _ in range(sum(sizes))]
        if course.content is not None:  # split the reported duration over the videos
            total, weights = course.content.duration_s, durations
            durations = [total * w // sum(weights) for w in weights]
            durations[-1] += total - sum(durations)
        elif video_item:
            durations[0] = content.duration_s
        course.duration_s = sum(durations)
        chapters, at = [], 0
        for k, size in enumerate(sizes):
            videos = []
            for j in range(size):
                number = ident * 100 + k * 10 + j
                reported = content if video_item and k == 0 and j == 0 else None
                video = Asset(urn=video_urn(ident, number), type="VIDEO", ident=number, number=course.number,
                              topic=topic, locales=course.locales, level=course.level, duration_s=durations[at],
                              published_at=course.published_at, updated_at=course.updated_at,
                              retired_at=course.retired_at, chapters=(), courses=(), parent=course,
                              position=(k, j), skills=course.skills, author=course.author,
                              popularity=course.popularity // (k * 3 + j + 2), content=reported,
                              web_url=None)
                video.web_url = (reported.website_url if reported is not None else
                                 f"{course.web_url}/{_slug(self.title(video, 'en'))}")
                videos.append(self._add(video))
                at += 1
            chapter_urn = f"urn:li:lyndaChapter:(urn:li:lyndaCourse:{ident},{ident * 10 + k})"
            chapters.append((chapter_urn, tuple(videos)))
            self.chapters[chapter_urn] = (course, k)
        course.chapters = tuple(chapters)

    # --- lookups --------------------------------------------------------------------------------
    @staticmethod
    def title(asset: Asset, language: str) -> str:
        topic = TOPICS[asset.topic]
        if asset.type == "VIDEO" and asset.content is None:
            return l10n.lesson_title(topic, asset.position[0], asset.position[1], language)
        return l10n.title(asset.type, topic, asset.number, language)

    @staticmethod
    def locale_of(asset: Asset, language: str, country: Optional[str]) -> Optional[tuple]:
        """The asset's locale for a request: exact match, or the first with that language when the
        country is left out (as TOT does); None if the asset is not published in it."""
        for locale in asset.locales:
            if locale[0] == language and (not country or locale[1] == country):
                return locale
        return None

    def assets(self, types, locales, include_retired: bool, modified_after: Optional[int] = None,
               classifications=None, levels=None, keyword: Optional[str] = None) -> list:
        """(asset, locale) pairs in catalog order: an asset once, in the first requested locale it
        is published in."""
        wanted = set(classifications or ())
        out = []
        for kind in CATALOG_TYPES:
            if kind not in types:
                continue
            for asset in self.by_type[kind]:
                if asset.retired_at is not None and not include_retired:
                    continue
                if modified_after is not None and asset.updated_at <= modified_after:
                    continue
                if levels and asset.level not in levels:
                    continue
                if wanted and not wanted & self.classification_urns(asset):
                    continue
                locale = next((hit for lang, country in locales
                               for hit in [self.locale_of(asset, lang, country)] if hit), None)
                if locale is None:
                    continue
                if keyword and keyword.lower() not in self.title(asset, locale[0]).lower():
                    continue
                out.append((asset, locale))
        return out

    @staticmethod
    def classification_chain(asset: Asset) -> list:
        topic = taxonomy.TOPIC_CLASSIFICATIONS[asset.topic]
        return [topic] + taxonomy.ancestors(topic)  # TOPIC, SUBJECT, LIBRARY

    def classification_urns(self, asset: Asset) -> set:
        return {taxonomy.CLASSIFICATIONS[i].urn for i in list(asset.skills) + self.classification_chain(asset)}

    # --- changes --------------------------------------------------------------------------------
    def touch(self, n: int, now_ms: int, asset_type: Optional[str] = None, retire: bool = False) -> list:
        """Give n active assets (of one type, or any) lastUpdatedAt = now, least touched first in a
        seeded order; with retire, retire them too (a course's videos with it). Returns the URNs."""
        with self.lock:
            pool = [a for kind in CATALOG_TYPES if asset_type in (None, kind) for a in self.by_type[kind]
                    if a.retired_at is None]
            pool.sort(key=lambda a: (a.touches, a.rank))
            chosen = pool[:max(0, n)]
            for asset in chosen:
                asset.touches += 1
                changed = [asset] + ([v for _, videos in asset.chapters for v in videos] if retire else [])
                for a in changed:
                    a.updated_at = now_ms
                    if retire:
                        a.retired_at = now_ms
            self.revision += 1
            return [a.urn for a in chosen]

    # --- rendering ------------------------------------------------------------------------------
    def classification(self, index: int, locale: tuple) -> dict:
        """A classification record (also the `associatedClassification` and `path` items)."""
        key = (index, locale)
        ref = self._refs.get(key)
        if ref is None:
            c, loc = taxonomy.CLASSIFICATIONS[index], _loc(locale)
            ref = {"urn": c.urn, "type": c.type, "name": _text(c.name(locale[0]), loc),
                   "owner": {"urn": taxonomy.OWNER_URN, "name": _text("LinkedIn", loc)}}
            self._refs[key] = ref
        return ref

    def classifications(self, kind: str, locale: tuple) -> list:
        if locale not in CATALOG_LOCALES:
            return []
        return [self.classification(c.index, locale) for c in taxonomy.CLASSIFICATIONS if c.type == kind]

    def render(self, asset: Asset, locale: tuple, expand_depth: int = 1) -> dict:
        loc, lang = _loc(locale), locale[0]
        topic = TOPICS[asset.topic]
        details = {"level": asset.level,
                   "availability": "AVAILABLE" if asset.retired_at is None else "RETIRED",
                   "availableLocales": [_loc(other) for other in asset.locales],
                   "publishedAt": asset.published_at, "lastUpdatedAt": asset.updated_at}
        if asset.retired_at is not None:
            details["retiredAt"] = asset.retired_at
        description, short = l10n.description(topic, lang), l10n.short_description(topic, lang)
        web = asset.web_url
        details.update({
            "timeToComplete": {"duration": asset.duration_s, "unit": "SECOND"},
            "description": _text(description, loc), "shortDescription": _text(short, loc),
            "descriptionIncludingHtml": _text(f"<p>{description}</p>", loc),
            "shortDescriptionIncludingHtml": _text(short, loc),
            "images": {"primary": f"https://media.licdn.com/dms/image/sim/{asset.type.lower()}-{asset.ident}-16x9.jpg"},
            "urls": {"webLaunch": web,
                     "ssoLaunch": f"https://www.linkedin.com/checkpoint/enterprise/login/{ACCOUNT_ID}?pathWildcard="
                                  f"{ACCOUNT_ID}&application=learning&redirect={quote(web + '?u=' + ACCOUNT_ID, safe='')}",
                     "aiccLaunch": f"https://www.linkedin.com/learning/aicc?content={quote(asset.urn, safe='')}&account="
                                   + quote(f"urn:li:enterpriseApplicationInstance:({ACCOUNT_URN},1)", safe="")},
            "classifications": self._asset_classifications(asset, locale),
            "contributors": self._contributors(asset, loc),
            "relationships": []})
        return {"urn": asset.urn, "type": asset.type, "title": _text(self.title(asset, lang), loc),
                "details": details, "contents": self._contents(asset, locale, expand_depth)}

    def render_chapter(self, chapter_urn: str, locale: tuple, expand_depth: int = 1) -> dict:
        course, k = self.chapters[chapter_urn]
        return self._chapter_node(course, k, locale, expand_depth + 1)["asset"]  # its videos are its children

    def _asset_classifications(self, asset: Asset, locale: tuple) -> list:
        # As in TOT's fixture: skills (no path), then the topic and each of its ancestors, each with
        # the ancestors above it, nearest first (TOPIC -> [SUBJECT, LIBRARY]).
        assigner = {"urn": taxonomy.OWNER_URN, "name": _text("LinkedIn", _loc(locale))}
        out = [{"assigner": assigner, "associatedClassification": self.classification(s, locale), "path": []}
               for s in asset.skills]
        chain = self.classification_chain(asset)
        for at, index in enumerate(chain):
            out.append({"assigner": assigner, "associatedClassification": self.classification(index, locale),
                        "path": [self.classification(p, locale) for p in chain[at + 1:]]})
        return out

    @staticmethod
    def _contributors(asset: Asset, loc: dict) -> list:
        ident, first, last = asset.author
        return [{"urn": f"urn:li:lyndaAuthor:{ident}", "name": _text(f"{first} {last}", loc),
                 "contributionType": "AUTHOR",
                 "authorDetails": {"firstName": _text(first, loc), "lastName": _text(last, loc)}}]

    # expandDepth (default 1): the direct children are always listed; each further level of
    # `contents` needs one more. So 1 gives a course's chapters with their videos (TOT's fixture),
    # 0 the chapters alone. Assumed: the docs name the parameter, not its exact effect.
    def _contents(self, asset: Asset, locale: tuple, depth: int) -> list:
        if asset.type == "COURSE":
            return [self._chapter_node(asset, k, locale, depth) for k in range(len(asset.chapters))]
        if asset.type == "LEARNING_PATH":
            return [self._node(course, locale, [self._chapter_node(course, k, locale, depth - 1)
                                                for k in range(len(course.chapters))] if depth >= 1 else [])
                    for course in asset.courses]
        return []

    def _chapter_node(self, course: Asset, k: int, locale: tuple, depth: int) -> dict:
        urn, videos = course.chapters[k]
        children = [self._node(v, locale, []) for v in videos] if depth >= 1 else []
        return {"asset": {"urn": urn, "title": _text(l10n.chapter_title(k, locale[0]), _loc(locale)),
                          "type": "CHAPTER", "contents": children}}

    def _node(self, asset: Asset, locale: tuple, contents: list) -> dict:
        return {"asset": {"urn": asset.urn, "title": _text(self.title(asset, locale[0]), _loc(locale)),
                          "type": asset.type, "contents": contents}}
