from setuptools import find_packages, setup

TEST_REQUIREMENTS = [
    "pytest>=8,<10",
    "hypothesis>=6.100,<7",
    "requests-mock>=1.12,<2",
    "airbyte>=0.71,<0.72",
    "duckdb>=1.1,<2",
]

setup(
    name="airbyte-source-linkedin-learning",
    version="0.2.0",
    description="Airbyte source connector for the LinkedIn Learning Activity Reports API.",
    license="MIT",
    python_requires=">=3.10",
    packages=find_packages(include=["source_linkedin_learning", "source_linkedin_learning.*"]),
    package_data={"source_linkedin_learning": ["manifest.yaml", "schemas/*.json"]},
    install_requires=[
        "airbyte-cdk>=7.39.1,<8",
        "requests>=2.31,<3",
        "jsonschema>=4.17,<5",
        "orjson>=3.9,<4",
        "PyYAML>=6,<7",
    ],
    extras_require={"tests": TEST_REQUIREMENTS},
    entry_points={"console_scripts": ["source-linkedin-learning=source_linkedin_learning.run:run"]},
)
