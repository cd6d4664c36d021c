"""Small scenario files for the simulator's tests."""

from __future__ import annotations

from pathlib import Path

BASE = """
[scenario]
name = "{name}"
start = {start}
end = {end}

[law]
measures = {measures}

{holds}

[[group]]
id = "SYR"
nationality = "SYR"
tracks = {{ general = 1.0 }}
extended_share = {ext_syr}
grant_rate = 0.9
appeal_rate = 0.8
requests_per_month = {rate_syr}

{extra_group}

[stages.requested]
days = "calendar"
capacity = 1000000
[stages.registration]
capacity = {registration}
[stages.rest_period]
days = 6
[stages.general_procedure]
capacity = {general}
[stages.extended_procedure]
capacity = {extended}
[stages.safe_country]
capacity = 10
[stages.dublin]
capacity = 10
[stages.appeal]
capacity = 20
[stages.housing]
capacity = 30

[reception]
capacity = 10000
ter_apel_capacity = 2000
departure_days = 28
dublin_exit_days = 60

[appeals]
lodged_after_days = 7
success_share = 0.1

[remedies]
notice_share = 0.5
notice_delay_days = 14
failure_appeal_share = 0.5
court_ruling_days = 56
"""

RUS = """
[[group]]
id = "RUS"
nationality = "RUS"
tracks = {{ general = 1.0 }}
extended_share = {ext_rus}
grant_rate = 0.3
appeal_rate = 0.8
requests_per_month = {rate_rus}
[[group.profile]]
id = "conscript"
share = 1.0
sex = "male"
age = 23
groups = ["conscript_refusing_service"]
"""


def scenario_text(**kw: object) -> str:
    """A valid scenario; keyword arguments replace the defaults."""
    values: dict[str, object] = {
        "name": "small",
        "start": "2022-01-01",
        "end": "2022-06-30",
        "measures": "[]",
        "holds": "",
        "ext_syr": 1.0,
        "rate_syr": 900,
        "registration": 36,
        "general": 33,
        "extended": 32,
        "extra_group": "",
        "ext_rus": 1.0,
        "rate_rus": 300,
    }
    values.update(kw)
    if values["extra_group"] == "RUS":
        values["extra_group"] = RUS.format(**values)
    return BASE.format(**values)


def write(tmp_path: Path, text: str, name: str = "scenario.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path
