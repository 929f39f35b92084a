"""When something applies: around the clock, on weekends, on weekdays, at night, in the daytime.

'closed on weekends only' and 'closed around the clock' are two accounts of one closure; 'weekend traffic' or
'weekday commuters' name who travels when, not when the thing applies, so a day word counts only as an
adverbial (after a preposition, or with 'only').
"""

from __future__ import annotations

import re

from rag.types import Key
from rag.values import Context, Reading

_DAYS = r"(?:Mon|Tues|Wednes|Thurs|Fri)days?"
SCHEDULES = {
    "continuous": r"(?:a)?round[- ]the[- ]clock|24 hours a day|24/7|day and night|night and day|at all hours|"
                  r"all the time|seven days a week|every day of the week|continuously|non-?stop",
    "weekends": r"(?:(?:on|at|over|during|for)\s+(?:the\s+)?weekends?(?:\s+only)?|weekends?\s+only|"
                r"(?:on\s+)?Saturdays?\s+and\s+Sundays?)",
    "weekdays": rf"(?:(?:on|during)\s+weekdays(?:\s+only)?|weekdays?\s+only|(?:on\s+)?Mondays?\s+(?:through|to|until|-|–)\s+"
                rf"Fridays?|during\s+the\s+(?:working\s+)?week\b(?!end)|{_DAYS}\s+only)",
    "nights": r"(?:(?:at|by|during\s+the)\s+night|overnight|nightly|nights\s+only|(?:in|during)\s+the\s+evenings?)",
    "daytime": r"(?:during\s+the\s+day(?:time)?|in\s+the\s+daytime|daytime\s+hours|by\s+day|daylight\s+hours)",
}
_SCHEDULE = {k: re.compile(rf"\b(?:{v})\b", re.I) for k, v in SCHEDULES.items()}


def schedules(sentence: str, context: Context | None = None) -> list[Reading]:
    """Each schedule the sentence states, once, where it first says it ('on weekends only ... on Saturdays and
    Sundays' is one reading)."""
    found: dict[str, Reading] = {}
    for value, pattern in _SCHEDULE.items():
        m = pattern.search(sentence)
        if m:
            found[value] = Reading(Key("schedule", text=value), m.start(), m.end())
    return sorted(found.values(), key=lambda r: r.start)
