"""The fixed classification tree of the simulated catalog: LIBRARY > SUBJECT > TOPIC, plus SKILLs.

URN forms and the shape of the tree follow the real service (`urn:li:lyndaCategory:<int>` for
libraries, subjects and topics, `urn:li:skill:<int>` for skills). The learningClassifications
endpoint gives no parents; the tree shows only in each asset's `classifications[].path`.
Names are localized (en, de, fr, es, ja); other languages fall back to English.
"""
from __future__ import annotations

from dataclasses import dataclass

LANGUAGES = ("en", "de", "fr", "es", "ja")
OWNER_URN = "urn:li:organization:1337"  # LinkedIn, as owner and assigner of every classification


@dataclass(frozen=True)
class Classification:
    index: int
    urn: str
    type: str          # LIBRARY, SUBJECT, TOPIC, SKILL
    names: tuple       # one per LANGUAGES entry
    parent: int        # index of the parent classification, -1 for none (LIBRARY, SKILL)

    def name(self, language: str) -> str:
        try:
            return self.names[LANGUAGES.index(language)]
        except ValueError:
            return self.names[0]


_LIBRARIES = [
    (7162, ("Business", "Business", "Business", "Negocios", "ビジネス")),
    (7163, ("Creative", "Kreativität", "Création", "Creatividad", "クリエイティブ")),
    (7164, ("Technology", "Technologie", "Technologie", "Tecnología", "テクノロジー")),
]
_SUBJECTS = [  # (id, names, library id)
    (7166, ("Business Software and Tools", "Business-Software und -Tools", "Logiciels et outils professionnels",
            "Software y herramientas empresariales", "ビジネスソフトウェアとツール"), 7162),
    (7167, ("Leadership and Management", "Führung und Management", "Leadership et management",
            "Liderazgo y gestión", "リーダーシップとマネジメント"), 7162),
    (7168, ("Finance and Accounting", "Finanzen und Rechnungswesen", "Finance et comptabilité",
            "Finanzas y contabilidad", "財務と会計"), 7162),
    (7169, ("Professional Development", "Berufliche Entwicklung", "Développement professionnel",
            "Desarrollo profesional", "プロフェッショナル開発"), 7162),
    (7170, ("User Experience", "User Experience", "Expérience utilisateur", "Experiencia de usuario",
            "ユーザーエクスペリエンス"), 7163),
    (8120, ("Data Science", "Data Science", "Science des données", "Ciencia de datos", "データサイエンス"), 7164),
    (8121, ("Software Development", "Softwareentwicklung", "Développement de logiciels", "Desarrollo de software",
            "ソフトウェア開発"), 7164),
    (8122, ("Cloud Computing", "Cloud Computing", "Cloud computing", "Computación en la nube",
            "クラウドコンピューティング"), 7164),
]
# One TOPIC and one SKILL per entry of data.TOPICS, in the same order (the asset's topic picks both).
_TOPICS = [  # (id, names, subject id)
    (9301, ("Python", "Python", "Python", "Python", "Python"), 8121),
    (7418, ("Spreadsheets", "Tabellenkalkulation", "Tableurs", "Hojas de cálculo", "スプレッドシート"), 7166),
    (9302, ("Leadership Skills", "Führungskompetenzen", "Compétences en leadership", "Habilidades de liderazgo",
            "リーダーシップスキル"), 7167),
    (9303, ("Databases", "Datenbanken", "Bases de données", "Bases de datos", "データベース"), 8120),
    (9304, ("Negotiation", "Verhandlungsführung", "Négociation", "Negociación", "交渉"), 7169),
    (9305, ("Cloud Platforms", "Cloud-Plattformen", "Plateformes cloud", "Plataformas en la nube",
            "クラウドプラットフォーム"), 8122),
    (9306, ("Statistics", "Statistik", "Statistiques", "Estadística", "統計"), 8120),
    (9307, ("UX Design", "UX-Design", "Design UX", "Diseño UX", "UXデザイン"), 7170),
    (9308, ("Public Speaking", "Öffentliches Reden", "Prise de parole en public", "Hablar en público", "スピーチ"), 7169),
    (9309, ("Project Management", "Projektmanagement", "Gestion de projet", "Gestión de proyectos",
            "プロジェクト管理"), 7167),
    (9310, ("DevOps", "DevOps", "DevOps", "DevOps", "DevOps"), 8122),
    (9311, ("Accounting", "Buchhaltung", "Comptabilité", "Contabilidad", "会計"), 7168),
]
_TOPIC_SKILLS = [
    (52001, ("Python (Programming Language)", "Python (Programmiersprache)", "Python (langage de programmation)",
             "Python (lenguaje de programación)", "Python (プログラミング言語)")),
    (163, ("Microsoft Excel",) * 5),
    (52002, ("Leadership", "Führung", "Leadership", "Liderazgo", "リーダーシップ")),
    (52003, ("SQL",) * 5),
    (52004, ("Negotiation", "Verhandlung", "Négociation", "Negociación", "交渉術")),
    (52005, ("Cloud Computing", "Cloud Computing", "Cloud computing", "Computación en la nube",
             "クラウドコンピューティング")),
    (52006, ("Statistics", "Statistik", "Statistiques", "Estadística", "統計学")),
    (52007, ("User Experience Design (UED)", "User Experience Design", "Conception de l'expérience utilisateur",
             "Diseño de experiencia de usuario", "ユーザーエクスペリエンスデザイン")),
    (52008, ("Public Speaking", "Öffentliches Sprechen", "Prise de parole en public", "Oratoria", "人前で話すスキル")),
    (52009, ("Project Management", "Projektmanagement", "Gestion de projet", "Gestión de proyectos",
             "プロジェクトマネジメント")),
    (52011, ("Kubernetes",) * 5),
    (52010, ("Accounting", "Rechnungswesen", "Comptabilité", "Contabilidad", "会計")),
]
# Skills many assets share besides their topic's own.
_SHARED_SKILLS = [
    (52012, ("Communication", "Kommunikation", "Communication", "Comunicación", "コミュニケーション")),
    (52013, ("Data Analysis", "Datenanalyse", "Analyse de données", "Análisis de datos", "データ分析")),
    (52014, ("Problem Solving", "Problemlösung", "Résolution de problèmes", "Resolución de problemas", "問題解決")),
]


def _build():
    out, by_id = [], {}
    for ident, names in _LIBRARIES:
        by_id[ident] = len(out)
        out.append(Classification(len(out), f"urn:li:lyndaCategory:{ident}", "LIBRARY", names, -1))
    for ident, names, library in _SUBJECTS:
        by_id[ident] = len(out)
        out.append(Classification(len(out), f"urn:li:lyndaCategory:{ident}", "SUBJECT", names, by_id[library]))
    for ident, names, subject in _TOPICS:
        by_id[ident] = len(out)
        out.append(Classification(len(out), f"urn:li:lyndaCategory:{ident}", "TOPIC", names, by_id[subject]))
    topic_skills = []
    for ident, names in _TOPIC_SKILLS:
        topic_skills.append(len(out))
        out.append(Classification(len(out), f"urn:li:skill:{ident}", "SKILL", names, -1))
    shared = []
    for ident, names in _SHARED_SKILLS:
        shared.append(len(out))
        out.append(Classification(len(out), f"urn:li:skill:{ident}", "SKILL", names, -1))
    topics = [by_id[ident] for ident, _, _ in _TOPICS]
    return tuple(out), tuple(topics), tuple(topic_skills), tuple(shared)


CLASSIFICATIONS, TOPIC_CLASSIFICATIONS, TOPIC_SKILLS, SHARED_SKILLS = _build()
BY_URN = {c.urn: c for c in CLASSIFICATIONS}
TYPES = ("LIBRARY", "SUBJECT", "TOPIC", "SKILL")


def ancestors(index: int) -> list:
    """Parents of a classification, nearest first (TOPIC -> [SUBJECT, LIBRARY])."""
    out, parent = [], CLASSIFICATIONS[index].parent
    while parent >= 0:
        out.append(parent)
        parent = CLASSIFICATIONS[parent].parent
    return out
