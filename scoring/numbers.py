"""One number format per language (Babel's CLDR rules), for tiles, tables, charts and exports.

    fmt_int(3385, "vi") == "3.385"      fmt_int(3385, "en") == "3,385"
    fmt_pct(0.099, "vi") == "9,9 %"     fmt_pct(0.099, "en") == "9.9%"
    fmt_decimal(2.5, "vi") == "2,5"     fmt_points(0.065, "vi") == "+6,5"
    fmt_percent_value(85, "vi") == "85 %" (a value already in percent, as indicators are answered)
    chart_locale("vi"): the same rules for Altair/Vega-Lite charts (axes, labels, tooltips)

Vietnamese writes a space before the percent sign (TCVN practice, and what readers of official
reports expect); Babel's CLDR pattern for `vi` has none, so the pattern here adds it. Missing values
are shown as an en dash.
"""

from __future__ import annotations

import math

from babel.numbers import format_decimal, format_percent, get_decimal_symbol, get_group_symbol

MISSING = "–"
_LOCALES = {"vi": "vi_VN", "en": "en_US"}


def _locale(lang: str) -> str:
    return _LOCALES.get(lang, "en_US")


def _missing(value: object) -> bool:
    if value is None:
        return True
    try:
        return math.isnan(float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return True


def fmt_int(value: object, lang: str) -> str:
    if _missing(value):
        return MISSING
    return format_decimal(round(float(value)), format="#,##0", locale=_locale(lang))  # type: ignore[arg-type]


def fmt_decimal(value: object, lang: str, digits: int = 1) -> str:
    if _missing(value):
        return MISSING
    pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "")
    return format_decimal(float(value), format=pattern, locale=_locale(lang))  # type: ignore[arg-type]


def fmt_pct(value: object, lang: str, digits: int = 1) -> str:
    """A share (0.099) as a percentage: "9,9 %" / "9.9%"."""
    if _missing(value):
        return MISSING
    pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "") + percent_sign(lang).replace(" ", "\u00a0")
    return format_percent(float(value), format=pattern, locale=_locale(lang)).replace("\u00a0", " ")  # type: ignore[arg-type]


def fmt_points(value: object, lang: str, digits: int = 1) -> str:
    """A change of a share in percentage points, signed: "+6,5" / "-2.0" (the unit is said by the caller)."""
    if _missing(value):
        return MISSING
    number = float(value) * 100  # type: ignore[arg-type]
    pattern = "+#,##0" + ("." + "0" * digits if digits > 0 else "") + ";-#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(number, format=pattern, locale=_locale(lang))



def fmt_percent_value(value: object, lang: str) -> str:
    """A number already in percent (an indicator's answer or target: 85, 33.5) with up to two
    decimals: "33,5 %" / "33.5%"."""
    if _missing(value):
        return MISSING
    return format_decimal(float(value), format="#,##0.##", locale=_locale(lang)) + percent_sign(lang)  # type: ignore[arg-type]


def percent_sign(lang: str) -> str:
    """What follows the number of a percentage: " %" in Vietnamese, "%" in English."""
    return " %" if lang == "vi" else "%"


def chart_locale(lang: str) -> dict[str, object]:
    """The language's number rules as a Vega-Lite `config.locale` (d3-format), so chart axes, text
    marks and tooltips write "9,9 %" / "9.9%" and "3.385" / "3,385" like `fmt_pct` and `fmt_int`.
    Put it on the top-level chart: `reports.population_charts.localised(chart, lang)`."""
    locale = _locale(lang)
    return {"number": {"decimal": get_decimal_symbol(locale), "thousands": get_group_symbol(locale),
                       "grouping": [3], "currency": ["", ""], "percent": percent_sign(lang)}}
