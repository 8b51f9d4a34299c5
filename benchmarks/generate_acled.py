"""Write realistic ACLED-format event files (actor names, notes, both date styles, both layouts) for tests and benchmarks.

    .venv/bin/python benchmarks/generate_acled.py /tmp/acled_1m.csv --rows 1000000
    .venv/bin/python benchmarks/generate_acled.py /tmp/old.csv --rows 500 --layout pre2023 --inter text

The rows mimic an ACLED export for Iraq, Syria and Jordan: mostly civil-war background (regime and rebels,
Islamic State and the SDF, Turkish and Israeli strikes, protests) and a few percent of the events this project
is about (pro-Iran militia rockets and drones at US bases, intercepted drones, US strikes on militias).
Nothing is copied from ACLED: places, names and notes are drawn from small pools and templates.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

COLUMNS_2023 = [
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
]
COLUMNS_PRE_2023 = [
    "data_id",
    "iso",
    "event_id_cnty",
    "event_id_no_cnty",
    "event_date",
    "year",
    "time_precision",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "timestamp",
    "iso3",
]
INTER_NAMES = {
    0: "",
    1: "State forces",
    2: "Rebel group",
    3: "Political militia",
    4: "Identity militia",
    5: "Rioters",
    6: "Protesters",
    7: "Civilians",
    8: "External/Other forces",
}
COUNTRIES = {"Syria": (760, "SYR"), "Iraq": (368, "IRQ"), "Jordan": (400, "JOR")}

# country, admin1, admin2, admin3, location, latitude, longitude
PLACES = [
    ("Syria", "Deir ez Zor", "Deir ez Zor", "Khasham", "Conoco Gas Field", 35.392, 40.309),
    ("Syria", "Deir ez Zor", "Deir ez Zor", "Deir ez Zor", "Deir ez Zor", 35.336, 40.141),
    ("Syria", "Deir ez Zor", "Al Mayadin", "Al Mayadin", "Al Mayadin", 35.020, 40.451),
    ("Syria", "Deir ez Zor", "Abu Kamal", "Abu Kamal", "Abu Kamal", 34.452, 40.918),
    ("Syria", "Deir ez Zor", "Al Mayadin", "Thiban", "Al Omar Oil Field", 35.113, 40.469),
    ("Syria", "Homs", "Tadmor", "Tadmor", "Al Tanf", 33.496, 38.618),
    ("Syria", "Al Hasakeh", "Al Hasakeh", "Ash Shaddadah", "Ash Shaddadah", 36.056, 40.730),
    ("Syria", "Al Hasakeh", "Al Hasakeh", "Al Hasakeh", "Kharab al Jir", 36.846, 41.818),
    ("Syria", "Aleppo", "Jebel Saman", "Atareb", "Atareb", 36.135, 36.830),
    ("Syria", "Idleb", "Idleb", "Idleb", "Idleb", 35.930, 36.633),
    ("Syria", "Hama", "As Suqaylabiyah", "Ziyara", "Qulaydin", 35.613, 36.386),
    ("Syria", "Dara", "Izra", "Tassil", "Tassil", 32.836, 35.972),
    ("Syria", "Ar Raqqa", "Ar Raqqa", "Ar Raqqa", "Ar Raqqa", 35.950, 39.010),
    ("Iraq", "Al Anbar", "Heet", "Al Baghdadi", "Ain al Asad Airbase", 33.800, 42.441),
    ("Iraq", "Baghdad", "Karkh", "Karkh", "Baghdad - Green Zone", 33.306, 44.387),
    ("Iraq", "Baghdad", "Karkh", "Abu Ghraib", "Baghdad International Airport", 33.262, 44.234),
    ("Iraq", "Erbil", "Erbil", "Erbil", "Erbil International Airport", 36.238, 43.963),
    ("Iraq", "Salah al-Din", "Balad", "Balad", "Balad Airbase", 33.940, 44.361),
    ("Iraq", "Al Anbar", "Al Qaim", "Al Qaim", "Al Qaim", 34.379, 41.089),
    ("Iraq", "Ninewa", "Mosul", "Mosul", "Mosul", 36.340, 43.130),
    ("Iraq", "Babil", "Al Musayab", "Jurf al Sakhar", "Jurf al Sakhar", 32.880, 44.170),
    ("Jordan", "Mafraq", "Al Ruwayshid", "Al Ruwayshid", "Tower 22", 33.320, 38.690),
    ("Jordan", "Amman", "Amman", "Amman", "Amman", 31.955, 35.945),
]
US_BASES = {
    "Conoco Gas Field": "the US base at the Conoco gas field",
    "Al Omar Oil Field": "the US base at Al Omar oil field",
    "Al Tanf": "the US garrison at Al Tanf",
    "Ash Shaddadah": "the US base in Ash Shaddadah",
    "Kharab al Jir": "the US airstrip at Kharab al Jir",
    "Ain al Asad Airbase": "Ain al Asad airbase",
    "Baghdad - Green Zone": "the US embassy in Baghdad",
    "Baghdad International Airport": "the Victory base complex",
    "Erbil International Airport": "coalition forces at Erbil airport",
    "Balad Airbase": "Balad airbase",
    "Tower 22": "the US outpost known as Tower 22",
}
MILITIAS = [
    ("Militia (Pro-Iran)", ""),
    ("Militia (Pro-Iran)", "Kataib Hezbollah"),
    ("Islamic Resistance in Iraq", ""),
    ("Militia (Pro-Iran)", "Harakat Hezbollah al Nujaba"),
    ("Kataib Sayyid al Shuhada", ""),
    ("Militia (Pro-Iran)", "Fatemiyoun Brigade"),
    ("Kataib Hezbollah", "Islamic Resistance in Iraq"),
]
MILITIA_WORDS = ["pro-Iran militias", "the Islamic Resistance in Iraq", "Iran-backed militants", "Kataib Hezbollah"]
US_FORCES = [
    ("Military Forces of the United States (2021-)", ""),
    ("Global Coalition Against Daesh", "Military Forces of the United States (2021-)"),
    ("Military Forces of the United States (2017-2021)", ""),
    ("Global Coalition Against Daesh", ""),
]
BACKGROUND = [
    # weight, event type, sub-event type, (actor1, inter1), (actor2, inter2), notes template, fatality range, countries
    (
        24,
        "Battles",
        "Armed clash",
        ("Military Forces of Syria (2000-)", 1),
        ("Opposition Rebels (Syria)", 2),
        "On {date}, regime forces and opposition fighters clashed near {location} in {admin1} countryside. {deaths}",
        (0, 6),
        ("Syria",),
    ),
    (
        14,
        "Explosions/Remote violence",
        "Shelling/artillery/missile attack",
        ("Military Forces of Syria (2000-)", 1),
        ("", 0),
        "On {date}, regime forces shelled {location} and its surroundings in {admin1} countryside. {deaths}",
        (0, 3),
        ("Syria",),
    ),
    (
        9,
        "Battles",
        "Armed clash",
        ("Islamic State (Syria)", 2),
        ("QSD: Syrian Democratic Forces", 2),
        "On {date}, IS cells attacked a QSD checkpoint in {location} in {admin1}. {deaths}",
        (0, 5),
        ("Syria",),
    ),
    (
        8,
        "Violence against civilians",
        "Attack",
        ("Unidentified Armed Group (Syria)", 3),
        ("Civilians (Syria)", 7),
        "On {date}, unknown gunmen shot a civilian in {location}, {admin1}. {deaths}",
        (0, 2),
        ("Syria",),
    ),
    (
        6,
        "Explosions/Remote violence",
        "Air/drone strike",
        ("Military Forces of Russia (2000-)", 8),
        ("HTS: Hayat Tahrir al Sham", 2),
        "On {date}, Russian warplanes carried out airstrikes on HTS positions near {location} in {admin1}. {deaths}",
        (0, 8),
        ("Syria",),
    ),
    (
        5,
        "Explosions/Remote violence",
        "Shelling/artillery/missile attack",
        ("Military Forces of Turkey (2016-)", 8),
        ("QSD: Syrian Democratic Forces", 2),
        "On {date}, Turkish forces shelled QSD positions near {location}. {deaths}",
        (0, 3),
        ("Syria",),
    ),
    (
        4,
        "Explosions/Remote violence",
        "Air/drone strike",
        ("Military Forces of Israel (2022-)", 8),
        ("Militia (Pro-Iran)", 3),
        "On {date}, Israeli warplanes struck weapons depots of Iran-backed militias near {location} in {admin1}. {deaths}",
        (0, 10),
        ("Syria",),
    ),
    (
        8,
        "Explosions/Remote violence",
        "Remote explosive/landmine/IED",
        ("Unidentified Armed Group (Iraq)", 3),
        ("Civilians (Iraq)", 7),
        "On {date}, an IED exploded on the road near {location}, {admin1}. {deaths}",
        (0, 3),
        ("Iraq",),
    ),
    (
        6,
        "Battles",
        "Armed clash",
        ("Military Forces of Iraq (2022-)", 1),
        ("Islamic State (Iraq)", 2),
        "On {date}, Iraqi army units clashed with IS remnants in {location}, {admin1}. {deaths}",
        (0, 4),
        ("Iraq",),
    ),
    (
        6,
        "Protests",
        "Peaceful protest",
        ("Protesters (Iraq)", 6),
        ("", 0),
        "On {date}, residents of {location} demonstrated against power cuts and unemployment. [size=no report]",
        (0, 0),
        ("Iraq", "Jordan"),
    ),
    (
        2,
        "Strategic developments",
        "Looting/property destruction",
        ("Military Forces of Syria (2000-) 4th Armored Division", 1),
        ("Civilians (Syria)", 7),
        "On {date}, members of the 4th Division looted homes in {location}.",
        (0, 0),
        ("Syria",),
    ),
]


def _date_text(days: np.ndarray, style: str, rng: np.random.Generator) -> np.ndarray:
    """Format day offsets from 2019-01-01 as ACLED writes them: '16 May 2025' (export) or '2025-05-16' (API)."""
    dates = pd.Timestamp("2019-01-01") + pd.to_timedelta(days, unit="D")
    text = pd.Series(dates.strftime("%d %B %Y"))
    iso = pd.Series(dates.strftime("%Y-%m-%d"))
    if style == "iso":
        return iso.to_numpy()
    if style == "mixed":
        return np.where(rng.random(len(days)) < 0.5, text, iso)
    return text.to_numpy()


def _fill(template: str, fields: dict[str, np.ndarray]) -> list[str]:
    """Fill a notes template row by row."""
    keys = list(fields)
    return [template.format(**dict(zip(keys, values))) for values in zip(*fields.values())]


def _death_text(deaths: np.ndarray) -> np.ndarray:
    """Describe a fatality count the way ACLED notes end."""
    return np.where(
        deaths == 0,
        "No casualties were reported.",
        np.where(deaths == 1, "1 fatality.", pd.Series(deaths).astype(str).to_numpy() + " fatalities."),
    )


def generate_acled(
    rows: int,
    *,
    seed: int = 0,
    layout: str = "2023",
    date_style: str = "mixed",
    inter_style: str = "number",
    militia_share: float = 0.015,
) -> pd.DataFrame:
    """Return a DataFrame of `rows` synthetic ACLED events in the chosen layout ('2023' or 'pre2023')."""
    rng = np.random.default_rng(seed)
    places = pd.DataFrame(
        PLACES, columns=["country", "admin1", "admin2", "admin3", "location", "latitude", "longitude"]
    )
    weights = np.array([b[0] for b in BACKGROUND], dtype=float)
    kinds = rng.choice(
        len(BACKGROUND) + 3,
        size=rows,
        p=np.append(weights / weights.sum() * (1 - militia_share), np.array([0.5, 0.2, 0.3]) * militia_share),
    )
    days = rng.integers(0, (dt.date(2024, 12, 31) - dt.date(2019, 1, 1)).days + 1, size=rows)
    dates_for_notes = (pd.Timestamp("2019-01-01") + pd.to_timedelta(days, unit="D")).strftime("%-d %B %Y").to_numpy()
    frame = pd.DataFrame(index=pd.RangeIndex(rows))
    columns = {
        c: np.full(rows, "", dtype=object)
        for c in (
            "event_type",
            "sub_event_type",
            "actor1",
            "assoc_actor_1",
            "actor2",
            "assoc_actor_2",
            "notes",
            "disorder_type",
        )
    }
    inter1 = np.zeros(rows, dtype=int)
    inter2 = np.zeros(rows, dtype=int)
    deaths = np.zeros(rows, dtype=int)
    place_index = np.zeros(rows, dtype=int)
    base_places = places.index[places["location"].isin(list(US_BASES))].to_numpy()
    for kind in range(len(BACKGROUND) + 3):
        where = np.flatnonzero(kinds == kind)
        if not len(where):
            continue
        if kind < len(BACKGROUND):
            _, event_type, sub_event, (a1, i1), (a2, i2), template, (low, high), countries = BACKGROUND[kind]
            candidates = places.index[places["country"].isin(countries)].to_numpy()
            chosen = rng.choice(candidates, size=len(where))
            killed = rng.integers(low, high + 1, size=len(where)) * (rng.random(len(where)) < 0.6)
            columns["actor1"][where], columns["actor2"][where] = a1, a2
            inter1[where], inter2[where] = i1, i2
            notes = _fill(
                template,
                {
                    "date": dates_for_notes[where],
                    "location": places["location"].to_numpy()[chosen],
                    "admin1": places["admin1"].to_numpy()[chosen],
                    "deaths": _death_text(killed),
                },
            )
        else:
            chosen = rng.choice(base_places, size=len(where))
            base_words = np.array([US_BASES[name] for name in places["location"].to_numpy()[chosen]], dtype=object)
            militia = rng.integers(0, len(MILITIAS), size=len(where))
            us = rng.integers(0, len(US_FORCES), size=len(where))
            group = np.array(MILITIA_WORDS, dtype=object)[rng.integers(0, len(MILITIA_WORDS), size=len(where))]
            count = rng.integers(1, 8, size=len(where)).astype(str)
            militia_actor = np.array([MILITIAS[i][0] for i in militia], dtype=object)
            militia_assoc = np.array([MILITIAS[i][1] for i in militia], dtype=object)
            us_actor = np.array([US_FORCES[i][0] for i in us], dtype=object)
            us_assoc = np.array([US_FORCES[i][1] for i in us], dtype=object)
            killed = np.zeros(len(where), dtype=int)
            if kind == len(BACKGROUND):  # militia rockets or drones at a US base
                event_type, sub_event = "Explosions/Remote violence", "Shelling/artillery/missile attack"
                weapon = rng.choice(
                    ["rockets", "mortar rounds", "Katyusha rockets", "one-way attack drones"], size=len(where)
                )
                notes = _fill(
                    "On {date}, {group} fired {count} {weapon} at {base}. No casualties were reported.",
                    {
                        "date": dates_for_notes[where],
                        "group": group,
                        "count": count,
                        "weapon": weapon,
                        "base": base_words,
                    },
                )
                columns["actor1"][where], columns["assoc_actor_1"][where] = militia_actor, militia_assoc
                columns["actor2"][where], columns["assoc_actor_2"][where] = us_actor, us_assoc
                inter1[where], inter2[where] = 3, 8
            elif kind == len(BACKGROUND) + 1:  # a drone shot down before it reached the base
                event_type, sub_event = "Strategic developments", "Disrupted weapons use"
                notes = _fill(
                    "On {date}, US forces shot down a drone launched by {group} towards {base}.",
                    {"date": dates_for_notes[where], "group": group, "base": base_words},
                )
                columns["actor1"][where], columns["assoc_actor_1"][where] = us_actor, us_assoc
                columns["actor2"][where], columns["assoc_actor_2"][where] = militia_actor, militia_assoc
                inter1[where], inter2[where] = 8, 3
            else:  # a US strike on militia positions, away from the bases
                event_type, sub_event = "Explosions/Remote violence", "Air/drone strike"
                chosen = rng.choice(places.index[places["country"].ne("Jordan")].to_numpy(), size=len(where))
                killed = rng.integers(0, 12, size=len(where))
                notes = _fill(
                    "On {date}, US warplanes struck positions of {group} near {location}, {admin1}. {deaths}",
                    {
                        "date": dates_for_notes[where],
                        "group": group,
                        "location": places["location"].to_numpy()[chosen],
                        "admin1": places["admin1"].to_numpy()[chosen],
                        "deaths": _death_text(killed),
                    },
                )
                columns["actor1"][where], columns["assoc_actor_1"][where] = us_actor, us_assoc
                columns["actor2"][where], columns["assoc_actor_2"][where] = militia_actor, militia_assoc
                inter1[where], inter2[where] = 8, 3
        columns["event_type"][where], columns["sub_event_type"][where] = event_type, sub_event
        columns["disorder_type"][where] = "Demonstrations" if event_type == "Protests" else "Political violence"
        columns["notes"][where] = notes
        deaths[where], place_index[where] = killed, chosen
    chosen_places = places.iloc[place_index].reset_index(drop=True)
    iso = chosen_places["country"].map(lambda c: COUNTRIES[c][0]).to_numpy()
    iso3 = chosen_places["country"].map(lambda c: COUNTRIES[c][1]).to_numpy()
    number = np.arange(1, rows + 1)
    jitter = rng.normal(0, 0.01, size=(rows, 2)).round(4)
    interaction = np.where(inter2 == 0, inter1 * 10, np.minimum(inter1, inter2) * 10 + np.maximum(inter1, inter2))
    frame = frame.assign(
        event_id_cnty=pd.Series(iso3).str.cat(pd.Series(number).astype(str)).to_numpy(),
        event_date=_date_text(days, date_style, rng),
        year=(pd.Timestamp("2019-01-01") + pd.to_timedelta(days, unit="D")).year.to_numpy(),
        time_precision=rng.choice([1, 2, 3], size=rows, p=[0.96, 0.03, 0.01]),
        disorder_type=columns["disorder_type"],
        event_type=columns["event_type"],
        sub_event_type=columns["sub_event_type"],
        actor1=columns["actor1"],
        assoc_actor_1=columns["assoc_actor_1"],
        inter1=_inter(inter1, inter_style),
        actor2=columns["actor2"],
        assoc_actor_2=columns["assoc_actor_2"],
        inter2=_inter(inter2, inter_style),
        interaction=interaction,
        civilian_targeting=np.where(inter2 == 7, "Civilian targeting", ""),
        iso=iso,
        region="Middle East",
        country=chosen_places["country"].to_numpy(),
        admin1=chosen_places["admin1"].to_numpy(),
        admin2=chosen_places["admin2"].to_numpy(),
        admin3=chosen_places["admin3"].to_numpy(),
        location=chosen_places["location"].to_numpy(),
        latitude=(chosen_places["latitude"].to_numpy() + jitter[:, 0]).round(4),
        longitude=(chosen_places["longitude"].to_numpy() + jitter[:, 1]).round(4),
        geo_precision=rng.choice([1, 2, 3], size=rows, p=[0.6, 0.35, 0.05]),
        source=rng.choice(
            ["SOHR", "Liveuamap; SOHR", "Shafaq News", "Rudaw; Twitter", "Deir Ezzor 24", "CENTCOM; Reuters"], size=rows
        ),
        source_scale=rng.choice(["National", "Local partner-New media", "New media", "International"], size=rows),
        notes=columns["notes"],
        fatalities=deaths,
        tags="",
        timestamp=1_700_000_000 + rng.integers(0, 10**7, size=rows),
        iso3=iso3,
        event_id_no_cnty=number,
        data_id=number + 9_000_000,
    )
    if layout == "pre2023":
        return frame[COLUMNS_PRE_2023].rename(columns=str.upper)
    if layout != "2023":
        raise ValueError(f"layout must be '2023' or 'pre2023', not {layout!r}")
    return frame[COLUMNS_2023]


def _inter(codes: np.ndarray, style: str) -> np.ndarray:
    """Write ACLED actor-type codes as numbers (before 2025) or as their names (the newer API)."""
    if style == "text":
        return np.array([INTER_NAMES[c] for c in codes], dtype=object)
    return np.where(codes == 0, "", codes.astype(str)).astype(object)


def write_acled(path: Path, rows: int, **options) -> Path:
    """Generate rows and write them as a UTF-8 CSV (pyarrow writer: fast even for millions of rows)."""
    import pyarrow as pa
    import pyarrow.csv as pa_csv

    frame = generate_acled(rows, **options).astype(str).replace({"": None})
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    pa_csv.write_csv(
        pa.Table.from_pandas(frame, preserve_index=False), path, pa_csv.WriteOptions(quoting_style="needed")
    )
    return path


def main(argv: list[str] | None = None) -> None:
    """Command line: write one file."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("path", type=Path)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--layout", choices=["2023", "pre2023"], default="2023")
    parser.add_argument("--dates", choices=["text", "iso", "mixed"], default="mixed", dest="date_style")
    parser.add_argument("--inter", choices=["number", "text"], default="number", dest="inter_style")
    args = parser.parse_args(argv)
    path = write_acled(
        args.path,
        args.rows,
        seed=args.seed,
        layout=args.layout,
        date_style=args.date_style,
        inter_style=args.inter_style,
    )
    print(f"wrote {args.rows} rows to {path} ({path.stat().st_size / 1e6:.0f} MB)")


if __name__ == "__main__":
    main()
