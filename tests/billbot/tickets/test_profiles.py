"""Provider profiles as data: the built-ins, a user's own directory, and what a malformed file says."""

from __future__ import annotations

import re
import tomllib
from datetime import UTC, datetime
from importlib.resources import files
from pathlib import Path

import pytest

from billbot.tickets.catalog import ProfileError, builtin_profiles, load_profiles, parse_profile
from billbot.tickets.domain.model import Category, Claim, TicketKind
from billbot.tickets.domain.policy import assess

SEEDS = Path(__file__).resolve().parents[4] / "shared" / "seeds"
C = Category
MINIMAL = """\
id = "acme"
name = "Acme API"
admission = "charge_after"
categories = ["overcharge"]

[clauses.window]
ref = "Terms §3"
quote = "Tell us within 14 days."
source = "https://acme.example/terms"

[expiry]
after = "never"
clause = "window"

[[windows]]
days = 14
clause = "window"
"""


def test_the_three_built_in_profiles_ship_with_billbot() -> None:
    assert set(builtin_profiles()) == {"anthropic", "claudeapi-com", "claudeapi-cheap"}
    shipped = files("billbot.tickets").joinpath("profiles")
    assert sorted(entry.name for entry in shipped.iterdir() if entry.name.endswith(".toml")) == [
        "anthropic.toml",
        "claudeapi-cheap.toml",
        "claudeapi-com.toml",
    ]


@pytest.mark.parametrize(
    ("provider", "admission", "expiry", "accepts"),
    [
        (
            "anthropic",
            "charge_after",
            "purchase",
            {C.DUPLICATE_CHARGE, C.CHARGED_BUT_FAILED, C.OVERCHARGE, C.NOT_CREDITED, C.OTHER},
        ),
        (
            "claudeapi-com",
            "pre_authorised",
            "last_topup",
            {
                C.DUPLICATE_CHARGE,
                C.CHARGED_BUT_FAILED,
                C.OVERCHARGE,
                C.NOT_CREDITED,
                C.UNUSED_BALANCE,
                C.OTHER,
            },
        ),
        ("claudeapi-cheap", "charge_after", "never", {C.UNUSED_BALANCE, C.SLA_CREDIT}),
    ],
)
def test_balance_side_rules_are_data(
    provider: str, admission: str, expiry: str, accepts: set[Category]
) -> None:
    profile = builtin_profiles()[provider]
    assert profile.admission == admission
    assert profile.expiry.after == expiry
    assert {category for category in Category if profile.accepts(category)} == accepts


def test_every_built_in_clause_has_a_ref_a_quote_and_a_source() -> None:
    for profile in builtin_profiles().values():
        for key in profile.clauses:
            clause = profile.clause(key)
            assert clause.ref and clause.quote and clause.source, (profile.id, key)


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the seed documents live outside the repository")
def test_every_built_in_quote_is_verbatim_from_the_seeds() -> None:
    # Markdown emphasis and line breaks aside, each quoted piece (between "[…]" elisions) is in a seed.
    seeds = re.sub(
        r"\s+", " ", " ".join(p.read_text(encoding="utf-8") for p in SEEDS.iterdir()).replace("**", "")
    )
    for profile in builtin_profiles().values():
        for key, spec in profile.clauses.items():
            for piece in spec.quote.split("[…]"):
                for sentence in re.split(r"(?<=\.) ", piece.strip(" ;")):
                    assert sentence in seeds, (profile.id, key, sentence)


def test_a_user_profile_is_added_and_one_with_a_built_in_id_replaces_it(tmp_path: Path) -> None:
    (tmp_path / "acme.toml").write_text(MINIMAL, encoding="utf-8")
    contract = MINIMAL.replace('id = "acme"', 'id = "anthropic"').replace(
        "Acme API", "Anthropic (our contract)"
    )
    (tmp_path / "our-anthropic.toml").write_text(contract, encoding="utf-8")
    (tmp_path / "README.md").write_text("not a profile", encoding="utf-8")
    profiles = load_profiles(tmp_path)
    assert set(profiles) == {"anthropic", "claudeapi-com", "claudeapi-cheap", "acme"}
    assert profiles["anthropic"].name == "Anthropic (our contract)"
    assert profiles["claudeapi-com"] == builtin_profiles()["claudeapi-com"]


def test_a_user_profile_drives_the_policy_engine(tmp_path: Path) -> None:
    (tmp_path / "acme.toml").write_text(MINIMAL, encoding="utf-8")
    acme = load_profiles(tmp_path)["acme"]
    at = datetime(2026, 3, 1, 12, tzinfo=UTC)
    verdict = assess(
        Claim(TicketKind.DISPUTE, C.OVERCHARGE, "acme", at, at), acme, datetime(2026, 3, 16, tzinfo=UTC)
    )
    assert verdict.deadline == datetime(2026, 3, 15, 23, 59, 59, 999999, tzinfo=UTC)
    assert verdict.late
    assert (
        verdict.notes[0].clause is not None and verdict.notes[0].clause.source == "https://acme.example/terms"
    )


def test_rules_can_be_scoped_to_a_kind_of_ticket() -> None:
    scoped = MINIMAL + '\n[[rules]]\nkinds = ["refund"]\ntext = "Refunds go to the card."\n'
    profile = parse_profile(scoped, "acme.toml")
    at = datetime(2026, 3, 1, tzinfo=UTC)
    texts = {
        kind: [note.text for note in assess(Claim(kind, C.OVERCHARGE, "acme", at, at), profile, at).notes]
        for kind in TicketKind
    }
    assert "Refunds go to the card." in texts[TicketKind.REFUND]
    assert "Refunds go to the card." not in texts[TicketKind.DISPUTE]


SLA_FLOAT = (
    '\n[sla]\nuptime_target = 99.5\ncredit_percent = "1"\ndue_day_of_next_month = 10\nautomatic = true\n'
)
CONDITION_ONLY = '\n[[rules]]\ntext = "Only if unused."\ncondition = "pro_limits_unused"\n'
BAD_FIELD = '\n[[evidence]]\nkind = "x"\nlabel = "X"\nfrom_field = "amount"\n'
BAD_FILES = [
    (MINIMAL.replace('admission = "charge_after"\n', ""), "admission: Field required"),
    (
        MINIMAL.replace("charge_after", "prepaid"),
        "admission: Input should be 'charge_after' or 'pre_authorised'",
    ),
    (MINIMAL.replace('["overcharge"]', '["duplicate"]'), "categories.0: Input should be 'duplicate_charge'"),
    (MINIMAL.replace("days = 14", "days = 0"), "windows.0.days: Input should be greater than 0"),
    (MINIMAL.replace('14\nclause = "window"', '14\nclause = "windw"'), "windows.0.clause: no clause 'windw'"),
    (MINIMAL.replace("[[windows]]", "[[windws]]"), "windws: Extra inputs are not permitted"),
    (MINIMAL.replace('id = "acme"', 'id = "Acme Corp"'), "id: String should match pattern"),
    (MINIMAL.replace('quote = "Tell us within 14 days."\n', ""), "clauses.window.quote: Field required"),
    (
        MINIMAL + SLA_FLOAT + 'clause = "window"\n',
        'sla.uptime_target: write decimals as strings (e.g. "99.5")',
    ),
    (MINIMAL.replace('after = "never"', 'after = "purchase"'), "expiry: `years` or `days` is needed"),
    (MINIMAL + CONDITION_ONLY, "rules.0: a rule with a condition needs both `otherwise` and `unknown`"),
    (MINIMAL + BAD_FIELD, "evidence.0.from_field: Input should be 'transaction_at', 'request_ids' or"),
    (MINIMAL.replace('name = "Acme API"', 'name = "Acme'), "not valid TOML"),
]


@pytest.mark.parametrize(("text", "message"), BAD_FILES)
def test_a_malformed_profile_names_the_file_the_field_and_the_problem(
    tmp_path: Path, text: str, message: str
) -> None:
    bad = tmp_path / "acme.toml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(ProfileError) as caught:
        load_profiles(tmp_path)
    assert str(caught.value).startswith(f"{bad}: ")
    assert message in str(caught.value)


def test_the_minimal_profile_is_valid_so_each_bad_file_fails_for_its_own_reason() -> None:
    assert tomllib.loads(MINIMAL)
    assert parse_profile(MINIMAL, "acme.toml").id == "acme"


def test_two_user_files_claiming_one_id_are_refused(tmp_path: Path) -> None:
    (tmp_path / "a.toml").write_text(MINIMAL, encoding="utf-8")
    (tmp_path / "b.toml").write_text(MINIMAL, encoding="utf-8")
    with pytest.raises(ProfileError, match=r"b\.toml: id: 'acme' is already defined by .*a\.toml"):
        load_profiles(tmp_path)


def test_a_missing_profile_directory_is_an_error_not_silence(tmp_path: Path) -> None:
    with pytest.raises(ProfileError, match="not a directory"):
        load_profiles(tmp_path / "nowhere")


def test_a_file_that_is_not_utf8_is_named(tmp_path: Path) -> None:
    (tmp_path / "latin.toml").write_bytes(MINIMAL.replace("Acme", "Acm\xe9").encode("latin-1"))
    with pytest.raises(ProfileError, match=r"latin\.toml: not UTF-8"):
        load_profiles(tmp_path)


def test_the_documented_example_profile_is_valid() -> None:
    doc = (Path(__file__).resolve().parents[3] / "docs" / "PROVIDERS.md").read_text(encoding="utf-8")
    example = doc.split("```toml\n", 1)[1].split("```", 1)[0]
    profile = parse_profile(example, "docs/PROVIDERS.md")
    assert (profile.id, profile.sla is not None, profile.liability is not None) == ("acme", True, True)


OUTSIDE = re.compile(r"\.\./|(?<![\w:/])/(?:work|home|Users|tmp|srv)/|\bseeds?/|\bshared/(?:seeds|reference)")


def test_built_in_profiles_cite_sources_a_reader_can_find_from_a_checkout() -> None:
    # A user's checkout has no `../shared/seeds/…` or absolute paths: cite public sources and documents.
    shipped = files("billbot.tickets").joinpath("profiles")
    for entry in shipped.iterdir():
        if entry.name.endswith(".toml"):
            text = entry.read_text(encoding="utf-8")
            assert OUTSIDE.findall(text) == [], entry.name
