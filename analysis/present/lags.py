"""Lags for readers: how the pairs were made and how many attacks were answered, in sentences, tables and figures."""

from __future__ import annotations

import html

import pandas as pd

from analysis.analyses.pairing import events_table
from analysis.analyses.response_times import first_pairs, late_explicit_answers
from analysis.core.tables import answer_no_attack
from analysis.present.style import ROLE_STYLES, finish


def _count(number: int, singular: str, plural: str) -> str:
    """Write a count with the right form of its noun or verb phrase.

    >>> _count(1, "attack is", "attacks are"), _count(3, "attack is", "attacks are")
    ('1 attack is', '3 attacks are')
    """
    return f"{number} {singular if number == 1 else plural}"


def pairing_summary(events, pairs: pd.DataFrame) -> str:
    """Say how the responses were paired: named by a source, inferred, or left without an attack."""
    events = events_table(events)
    responses = events.loc[events["role"].eq("response").fillna(False), "event_id"]
    if responses.empty:
        return "There are no responses in this selection, so no attack can be paired with one."
    explicit = set(pairs.loc[pairs["link"].eq("explicit"), "response_id"])
    inferred = set(pairs.loc[pairs["link"].eq("inferred"), "response_id"])
    missing = pairs.loc[~pairs["is_attack_in_data"].astype(bool), "attack_id"].nunique()
    unanswering = (
        int(answer_no_attack(events.loc[responses.index, "responds_to"]).sum()) if "responds_to" in events else 0
    )
    alone = len(responses) - len(explicit | inferred) - unanswering
    basis = pairs.loc[pairs["link"].eq("inferred"), "link_basis"]
    text = (
        f"Of {_count(len(responses), 'response', 'responses')}, "
        f"{_count(len(explicit), 'is tied by a source to the attack it answers', 'are tied by a source to the attacks they answer')}; "
        f"{_count(len(inferred), 'more was', 'more were')} paired by inference "
        f"({basis.iloc[0] if len(basis) else 'no inferred pair'}); "
        + (
            f"{_count(unanswering, 'is', 'are')} framed by their sources as answering no particular attack "
            "(pre-emptive strikes, targeted killings) and never paired; "
            if unanswering
            else ""
        )
        + f"{_count(alone, 'has', 'have')} no attack to pair with."
    )
    if missing:
        text += (
            f" {_count(missing, 'attack that a source links to a response is', 'attacks that a source links to a response are')}"
            " not in this selection (outside the dates or countries chosen), so those links have no lag."
        )
    return text


def summarise_time_to_response(ttr: pd.DataFrame, pairs: pd.DataFrame | None = None) -> str:
    """Say in one paragraph how many attacks were answered, unanswered, or still open when the data ends.

    With pairs (from pair_attacks_responses) it also says how many "unanswered" attacks a source ties to a
    response that came after the horizon.
    """
    if ttr.empty:
        return "There are no attacks in this selection, so there is no time to response to measure."
    horizon = int(ttr["horizon_days"].iloc[0]) if "horizon_days" in ttr else int(ttr["follow_up_days"].max())
    answered = int(ttr["is_answered"].sum())
    explicit = int((ttr["is_answered"] & ttr["link"].eq("explicit").fillna(False)).sum())
    unanswered = int(ttr["censored_by"].eq("horizon").sum())
    open_at_end = int(ttr["censored_by"].eq("end of data").sum())
    text = (
        f"Of {_count(len(ttr), 'attack', 'attacks')}, {_count(answered, 'was', 'were')} answered within {horizon} "
        f"days ({explicit} of them by a response that a source links to them) and {_count(unanswered, 'went', 'went')} "
        f"{horizon} days without a response."
    )
    if open_at_end:
        text += (
            f" {_count(open_at_end, 'more came', 'more came')} less than {horizon} days before the data ends and "
            f"had no response yet: {'it is' if open_at_end == 1 else 'they are'} censored (outcome unknown), not unanswered."
        )
    late = late_explicit_answers(ttr, pairs) if pairs is not None and len(ttr) else None
    if late is not None and len(late):
        text += (
            f" Of the attacks not answered within {horizon} days, {_count(len(late), 'is', 'are')} tied by a source "
            f"to a strike that came later ({int(late['days_to_response'].min())} to "
            f"{int(late['days_to_response'].max())} days after the attack); raise horizon_days to count "
            f"{'it' if len(late) == 1 else 'them'} as answered."
        )
    return text


def _days_text(days, low, high) -> str:
    """Write a lag in days with the range its dates allow ('3 (0 to 6)'), blank when there is none.

    >>> _days_text(5, 5, 5), _days_text(3, 0, 6), _days_text(pd.NA, pd.NA, pd.NA)
    ('5', '3 (0 to 6)', '')
    """
    if pd.isna(days):
        return ""
    if pd.isna(low) or pd.isna(high) or low == high:
        return str(int(days))
    return f"{int(days)} ({int(low)} to {int(high)})"


def pairs_table(pairs: pd.DataFrame) -> pd.DataFrame:
    """Return the pairs for readers: who, where, when, the link and the lag (with the range imprecise dates allow).

    Headers are words; "days" reads "3 (0 to 6)" when a date is known only to a week or a month; "hours" is
    there only when some pair has both clock times.
    """
    table = pd.DataFrame(
        {
            "attack": pairs["attack_id"],
            "attack date": pairs["attack_date"].dt.strftime("%Y-%m-%d"),
            "attack site": pairs["attack_site"],
            "attack place": pairs["attack_location"],
            "attack country": pairs["attack_country"],
            "response": pairs["response_id"],
            "response date": pairs["response_date"].dt.strftime("%Y-%m-%d"),
            "response place": pairs["response_location"],
            "response country": pairs["response_country"],
            "link": pairs["link"],
            "days": [
                _days_text(*v) for v in pairs[["lag_days", "lag_days_min", "lag_days_max"]].itertuples(index=False)
            ],
        }
    )
    if pairs["lag_hours"].notna().any():
        table["hours"] = pairs["lag_hours"].round(1)
    return table.reset_index(drop=True)


def _outcome_text(row, horizon: int) -> str:
    """Say how an attack's follow-up ended."""
    if row.is_answered:
        return "answered"
    return f"no response within {horizon} days" if row.censored_by == "horizon" else "still open when the data ends"


def time_to_response_table(ttr: pd.DataFrame) -> pd.DataFrame:
    """Return time_to_response for readers: each attack, its first response, the days to it and the outcome."""
    horizon = int(ttr["horizon_days"].iloc[0]) if "horizon_days" in ttr and len(ttr) else 0
    precision = ttr["date_precision"].astype("string").fillna("day")
    table = pd.DataFrame(
        {
            "attack": ttr["attack_id"],
            "date": ttr["attack_date"].dt.strftime("%Y-%m-%d")
            + precision.map(lambda p: "" if p == "day" else f" ({p})"),
            "country": ttr["country"],
            "place": ttr["site"],
            "first response": ttr["response_id"],
            "link": ttr["link"],
            "days to response": [
                _days_text(*v)
                for v in ttr[["days_to_response", "days_to_response_min", "days_to_response_max"]].itertuples(
                    index=False
                )
            ],
            "outcome": [_outcome_text(row, horizon) for row in ttr.itertuples(index=False)],
        }
    )
    if "has_us_casualties" in ttr:
        table["US killed or wounded"] = ttr["has_us_casualties"].astype(bool)
    if "period" in ttr:
        table["period"] = ttr["period"].astype("string")
    return table.reset_index(drop=True)


def pairs_timeline_figure(events, pairs: pd.DataFrame, *, title: str = "Attacks, responses and the pairs between them"):
    """Draw attacks and responses on two lanes over time, with a line for each pair (solid: explicit)."""
    import plotly.graph_objects as go

    events = events_table(events)
    lanes = {"attack": "Attacks", "response": "Responses"}
    figure = go.Figure()
    shown = events[events["role"].isin(list(lanes))]
    for link, dash in (("explicit", "solid"), ("inferred", "dot")):
        chosen = pairs[pairs["link"].eq(link) & pairs["is_attack_in_data"]]
        x, y = [], []
        for attack_date, response_date in zip(chosen["attack_date"], chosen["response_date"]):
            x += [attack_date, response_date, None]
            y += [lanes["attack"], lanes["response"], None]
        figure.add_trace(
            go.Scatter(
                x=x,
                y=y,
                mode="lines",
                name=f"{link} pair",
                hoverinfo="skip",
                line={"dash": dash, "width": 1, "color": "#7f7f7f" if link == "inferred" else "#444"},
            )
        )
    for role, group in shown.groupby("role", sort=True):  # the overview's colours and symbols
        colour, symbol, label = ROLE_STYLES[role]
        place = group["site"].fillna(group["location"]) if "site" in group else group["event_id"]
        country = group["country"] if "country" in group else pd.Series("", index=group.index)
        hover = (
            group["event_id"].astype(str)
            + "<br>"
            + group["event_date"].dt.strftime("%Y-%m-%d")
            + "<br>"
            + place.fillna("").astype(str).map(html.escape)
            + ", "
            + country.fillna("").astype(str).map(html.escape)
        )
        figure.add_trace(
            go.Scatter(
                x=group["event_date"],
                y=[lanes[role]] * len(group),
                mode="markers",
                name=f"{label} ({len(group)})",
                marker={"symbol": symbol, "size": 9, "color": colour, "opacity": 0.8},
                text=hover,
                hovertemplate="%{text}<extra></extra>",
            )
        )
    figure.update_layout(
        title=title,
        yaxis={"categoryorder": "array", "categoryarray": ["Responses", "Attacks"]},
        xaxis_title="date",
        height=380,
        legend={"orientation": "h", "y": -0.25},
    )
    return figure


def lag_histogram_figure(pairs: pd.DataFrame, *, title: str = "Days from attack to its first response"):
    """Draw the days from each attack to its first response (one pair per attack), stacked by link type."""
    import plotly.graph_objects as go

    first = first_pairs(pairs)
    figure = go.Figure()
    for link, colour in (("explicit", "#444444"), ("inferred", "#b0b0b0")):  # as the timeline's lines
        rows = first[first["link"] == link]
        if len(rows):
            figure.add_histogram(x=rows["lag_days"].astype("int64"), name=f"{link} ({len(rows)})", marker_color=colour,
                                 xbins={"size": 1}, hovertemplate="%{x} days: %{y} attacks<extra>" + link + "</extra>")  # fmt: skip
    figure.update_layout(barmode="stack")
    return finish(figure, title=title, x_title="days from attack to response", y_title="attacks", height=360)
