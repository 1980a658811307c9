"""Localized catalog texts: asset titles, chapter and lesson names, descriptions.

The report's `contentDetails.name` of a LinkedIn Learning item is its catalog title in the item's
own locale, so reports and catalog agree. Languages without a table fall back to English.
Titles keep the topic's (English) name, as LinkedIn's localized course titles usually do.
"""
from __future__ import annotations

_TITLES = {
    "COURSE": {"en": "{topic} Essentials {n}", "de": "{topic}: Grundlagen {n}",
               "fr": "{topic} : les fondamentaux {n}", "es": "Fundamentos de {topic} {n}",
               "ja": "{topic} 基礎講座 {n}"},
    "VIDEO": {"en": "{topic} in Five Minutes {n}", "de": "{topic} in fünf Minuten {n}",
              "fr": "{topic} en cinq minutes {n}", "es": "{topic} en cinco minutos {n}",
              "ja": "5分でわかる{topic} {n}"},
    "LEARNING_PATH": {"en": "Become a {topic} Expert {n}", "de": "Werden Sie {topic}-Profi {n}",
                      "fr": "Devenez expert en {topic} {n}", "es": "Conviértete en experto en {topic} {n}",
                      "ja": "{topic}エキスパートへの道 {n}"},
}
_LESSON = {"en": "Lesson", "de": "Lektion", "fr": "Leçon", "es": "Lección", "ja": "レッスン"}
_CHAPTERS = {"en": ("Getting Started", "Going Further", "Putting It to Work"),
             "de": ("Erste Schritte", "Vertiefung", "In der Praxis"),
             "fr": ("Premiers pas", "Aller plus loin", "Mise en pratique"),
             "es": ("Primeros pasos", "Profundizando", "En la práctica"),
             "ja": ("はじめに", "さらに詳しく", "実践")}
_DESCRIPTION = {"en": "Learn {topic} step by step, with hands-on examples from everyday work.",
                "de": "Lernen Sie {topic} Schritt für Schritt, mit praktischen Beispielen aus dem Arbeitsalltag.",
                "fr": "Apprenez {topic} pas à pas, avec des exemples concrets tirés du quotidien.",
                "es": "Aprende {topic} paso a paso, con ejemplos prácticos del trabajo diario.",
                "ja": "日々の業務の実例を使って、{topic}をステップごとに学びます。"}
_SHORT = {"en": "A practical introduction to {topic}.", "de": "Eine praktische Einführung in {topic}.",
          "fr": "Une introduction pratique à {topic}.", "es": "Una introducción práctica a {topic}.",
          "ja": "{topic}の実践的な入門です。"}


def _pick(table: dict, language: str):
    return table.get(language) or table["en"]


def title(asset_type: str, topic: str, n: int, language: str) -> str:
    return _pick(_TITLES[asset_type], language).format(topic=topic, n=n)


def lesson_title(topic: str, chapter: int, video: int, language: str) -> str:
    return f"{topic}: {_pick(_LESSON, language)} {chapter + 1}.{video + 1}"


def chapter_title(chapter: int, language: str) -> str:
    names = _pick(_CHAPTERS, language)
    return f"{chapter + 1}. {names[chapter % len(names)]}"


def description(topic: str, language: str) -> str:
    return _pick(_DESCRIPTION, language).format(topic=topic)


def short_description(topic: str, language: str) -> str:
    return _pick(_SHORT, language).format(topic=topic)
