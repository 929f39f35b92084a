"""Typed values read from single sentences, each an exact slice of the sentence: what the finder compares."""

from datetime import datetime

import pytest

from rag import claims
from rag.types import Key
from rag.values import Context


def _keys(kind, sentence, context=None):
    found = claims.extract(kind, sentence, context)
    assert all(0 <= r.start < r.end <= len(sentence) for r in found)
    return [str(r.key) for r in found]


def _slices(kind, sentence, context=None):
    return [sentence[r.start:r.end] for r in claims.extract(kind, sentence, context)]


@pytest.mark.parametrize("sentence,key", [
    ("giving the government up to 90 days of early access", "duration:max:0-90"),
    ("for review at least 90 days before their release", "duration:min:90-inf"),
    ("between 14 and 90 days ahead of launch", "duration:range:14-90"),
    ("a 30-day window", "duration:exact:30-30"),
    ("closed for sixty days", "duration:exact:60-60"),
    ("for two weeks", "duration:exact:14-14"),
    ("30 to 45 days", "duration:range:30-45"),
    ("less than two weeks to plan", "duration:max:0-14"),
])
def test_durations_normalise_bounds(sentence, key):
    assert _keys("duration", sentence) == [key]


def test_up_to_differs_from_at_least_and_equal_things_compare_equal():
    assert claims.durations("up to 90 days")[0].key != claims.durations("at least 90 days")[0].key
    assert claims.durations("a 60-day closure")[0].key == claims.durations("for 60 days")[0].key
    assert _slices("duration", "a strike of three weeks or more") == ["three weeks or more"]


def test_money_and_counts_are_different_kinds_and_free_is_zero():
    sentence = "About 40,000 vehicles a day since 1968; a $21 million deal on March 9 at 10:30 by a 6-1 vote"
    assert _keys("number", sentence) == ["number:exact:40000-40000"]
    assert _keys("money", sentence) == ["money:exact:21000000-21000000"]
    assert _keys("money", "Rides on the ferry will be free of charge.") == ["money:exact:0-0"]
    assert _keys("money", "Admission is free.") == ["money:exact:0-0"]
    assert _keys("money", "a fare of $3 each way") == ["money:exact:3-3"]
    assert _keys("money", "The tickets cost 12 dollars.") == ["money:exact:12-12"]
    assert _keys("money", "a free press and free speech matter") == []  # not prices
    assert _keys("money", "Residents are free to leave.") == []


def test_dates_resolve_weekdays_against_the_articles_own_date_and_keep_partial_dates_partial():
    early = Context(published=datetime(2026, 5, 16))
    assert _keys("date", "The event, set for Thursday afternoon, was delayed",
                 Context(published=datetime(2026, 5, 26))) == ["date:2026-05-21"]
    assert _keys("date", "The event, set for Thursday afternoon, was delayed", early) == ["date:2026-05-14"]
    assert _keys("date", "on May 21, 2026, hours before") == ["date:2026-05-21"]
    assert _keys("date", "work begins on March 9") == ["date:--03-09"]
    assert _keys("date", "the bridge, which opened in 1968, carries") == ["date:1968"]
    assert _keys("date", "elections were held in June 2024") == ["date:2024-06"]
    assert _keys("date", "Ann Vale (9 July 1848 – 3 June 1912) was a painter") == ["date:1848-07-09", "date:1912-06-03"]
    assert _keys("date", "on 21 May 2026 the council met") == ["date:2026-05-21"]
    assert _keys("date", "Ann Vale (born 1945) is a singer; the house was built about 1820") == ["date:1945", "date:1820"]
    assert _keys("date", "Ann Vale (1911–1980) was a singer") == ["date:1911", "date:1980"]
    assert _keys("date", "a population of 3,046 in 2010") == ["date:2010"]
    assert _slices("date", "The school opened in the fall of 1964; the unit formed in late 1914.") == [
        "fall of 1964", "late 1914"]
    assert _slices("date", "The house was built about 1835 by a farmer.") == ["about 1835"]
    # a span of years is one slice keyed by its first year; the second is still read, as the span's end
    assert _slices("date", "The hall was built in 1902–1903; the wing in 1810-11.") == [
        "1902–1903", "1903", "1810-11"]
    assert _slices("date", "In 1998 the line closed.") == ["1998"]
    assert claims.published_parts("May 2026").day is None and claims.published_parts("2026").month is None
    assert claims.published_parts("5/26/2026, 1:02:44 PM").sort_key() == (2026, 5, 26)
    assert claims.parse_published("") is None and claims.parse_published("2026") is None


@pytest.mark.parametrize("sentence,expected", [
    ("Participation would have been voluntary.", ["voluntary"]),
    ("Companies were not required to participate.", ["voluntary"]),
    ("No mandatory hold periods.", ["voluntary"]),
    ("The order would require government evaluation of models.", ["required"]),
    ("Riders must pay a mandatory fare.", ["required"]),
    ("Rides will be free of charge.", []),  # a price, read by the money extractor
    ("Originally it would have compelled firms to share, but it was later watered down to make it voluntary.",
     ["required", "voluntary"]),  # a stated change: the earlier state first
    ("It was neither voluntary nor required in any sense anyone could agree on, critics said.", []),
    ("The constitution protects a free press.", []),
])
def test_modality_with_negation_and_change(sentence, expected):
    assert [r.key.text for r in claims.modality(sentence)] == expected


def test_a_negated_modality_is_quoted_with_its_negation():
    assert _slices("modality", "Companies were not required to participate.") == ["not required"]


@pytest.mark.parametrize("sentence,expected", [
    ("Trump postponed signing the order.", ["delayed"]),
    ("President Trump signed a scaled-back order.", ["done"]),
    ("It is not clear whether the order will be signed.", []),
    ("The council approved the contract on Thursday.", ["done"]),
    ("It was killed after a phone call.", ["cancelled"]),
    ("The treaty was put on hold.", ["delayed"]),
    ("Talks on the merger have stalled.", ["delayed"]),
    ("The stadium plan is dead.", ["cancelled"]),
    ("The tunnel project was taken off the table in May.", ["cancelled"]),
])
def test_statuses_ignore_what_has_not_happened(sentence, expected):
    assert [r.key.text for r in claims.statuses(sentence)] == expected


def test_roles_current_and_former_with_general_titles():
    people = Context(people=("Tomas Brennan",))
    assert [(r.key.text, s) for r, s in zip(claims.roles("Tomas Brennan, the harbor master, said", people),
                                            _slices("role", "Tomas Brennan, the harbor master, said", people))] == [
        ("current", "the harbor master")]
    assert _keys("role", "said Brennan, the former harbor master", people) == ["role:former"]
    sacks = Context(people=("David Sacks",))
    assert _keys("role", "led by former Trump adviser David Sacks, who", sacks) == ["role:former"]
    assert _keys("role", "Trump, AI adviser David Sacks and others", sacks) == ["role:current"]
    # general English titles, no corpus words needed
    assert _keys("role", "Senator Maria Lopez said", Context(people=("Maria Lopez",))) == ["role:current"]
    assert _keys("role", "Attorney General Ann Cole said", Context(people=("Ann Cole",))) == ["role:current"]
    assert _keys("role", "former ambassador John Reed", Context(people=("John Reed",))) == ["role:former"]


def test_a_title_is_the_named_persons_own():
    reed = Context(people=("John Reed",))
    # the title before 'and' belongs to the other person
    assert _keys("role", "The club's coach Ann Vale and John Reed met on Monday.", reed) == []
    # asked by surname alone: the given name is part of the name, not of the title
    assert _slices("role", "The talks were led by former club coach John Reed on Monday.",
                   Context(people=("Reed",))) == ["former club coach"]
    assert _slices("role", "Senator Reed said", Context(people=("Reed",))) == ["Senator"]


def test_organisations_expand_acronyms_and_skip_weekdays():
    text = "The National Security Agency (NSA) and the State Transport Department will both review it."
    known = claims.acronyms(text)
    context = Context(acronyms=known)
    assert {r.key.text for r in claims.organisations("with the NSA setting which systems counted", context)} == {"NSA"}
    assert {r.key.text for r in claims.organisations(text, context)} == {"NSA", "State Transport Department"}
    assert _slices("organisation", "The Port Alder City Council on Thursday approved it") == ["Port Alder City Council"]


def test_reasons_are_exact_slices():
    sentence = "The closure is because of corrosion found in the cables."
    assert _slices("reason", sentence) == ["corrosion found in the cables"]
    assert _slices("reason", "The unofficial reason: Not enough CEOs could make it.") == ["Not enough CEOs could make it"]
    assert _keys("reason", "The bridge opened in 1968.") == []


def test_keys_are_typed_and_printable():
    assert Key("duration", low=0, high=90, bound="max") != Key("duration", low=90, high=float("inf"), bound="min")
    assert str(Key("modality", text="voluntary")) == "modality:voluntary"
    assert claims.extract("description", "anything at all") == []


def test_a_number_ends_at_its_last_digit_or_its_counted_noun_not_at_a_following_comma():
    sentence = "The town had a population of 3,046, 1,085 households and 870 families."
    assert [sentence[r.start:r.end] for r in claims.extract("number", sentence)] == [
        "3,046", "1,085 households", "870 families"]
    sentence = "The river has a length of 98 km, and 12 bridges."
    assert [sentence[r.start:r.end] for r in claims.extract("number", sentence)] == ["98 km", "12"]


def test_categories_are_what_a_sentence_says_the_named_thing_is():
    vale = Context(people=("A. Vale",))
    assert _slices("category", "Anna Vale is a German operatic mezzo-soprano who sang at Bayreuth.", vale) == [
        "a German operatic mezzo-soprano"]
    harbour = Context(people=("Quiet Harbour",))
    assert _slices("category", 'Quiet Harbour (2005 film) Quiet Harbour is a Canadian short film, directed by Ann Vale.',
                   harbour) == ["a Canadian short film"]
    assert _keys("category", "Quiet Harbour is a 1963 black and white musical film starring Ann Vale.", harbour) == [
        "category:black and white musical film"]  # the year is not part of what it is
    assert _keys("category", "Reviewers said Quiet Harbour lacked a plot.", harbour) == []


def test_a_town_and_its_region_are_one_place_and_answer_where_a_thing_is_located():
    sentence = "The Port Alder Depot is a historic station on Main Street in Raymond, New Hampshire."
    entities = (("FAC", 46, 57), ("GPE", 61, 68), ("GPE", 70, 83))
    located = Context(question="Where is the Port Alder Depot located?", entities=entities)
    assert _slices("place", sentence, located) == ["Raymond, New Hampshire"]
    held = Context(question="Where was the fair held?", entities=entities)
    assert _slices("place", sentence, held) == ["Main Street", "Raymond, New Hampshire"]


def test_what_letters_stand_for_is_the_phrase_their_initials_spell():
    vcd = Context(people=("VCD",), question="What does VCD refer to?")
    assert _slices("category", "It pairs the model with vibrational circular dichroism (VCD) spectra.", vcd) == [
        "vibrational circular dichroism"]
    assert _slices("category", "Vocal cord dysfunction ( VCD ), also known as ILO, is common.", vcd) == [
        "Vocal cord dysfunction"]
    assert _slices("category", "The sapheno-femoral junction (SFJ) lies in the groin.",
                   Context(people=("SFJ",))) == ["sapheno-femoral junction"]  # one initial per hyphenated part
    assert _slices("category", "Patients in the VCD group made 277 visits.", vcd) == []  # used, not defined


def test_a_question_about_a_sport_is_answered_by_the_field_the_definition_names():
    sport = Context(people=("Ann Vale",), question="What sport is Ann Vale associated with?")
    assert _slices("category", "Ann Vale is a former Welsh professional snooker player.", sport) == ["snooker"]
    assert _slices("category", "Ann Vale is an American football coach from Ohio.", sport) == ["American football"]
    assert _slices("category", "Ann Vale is an English footballer who played in the Football League.",
                   sport) == ["football"]  # the agent noun's field, since the sentence uses it as a word
    assert _slices("category", "Ann Vale is an Irish boxer.", sport) == ["an Irish boxer"]  # no field word
    job = Context(people=("Ann Vale",), question="What is the profession of Ann Vale?")
    assert _slices("category", "Ann Vale is a former Welsh professional snooker player.", job) == [
        "a former Welsh professional snooker player"]


def test_the_crude_stem_meets_forms_of_one_word():
    from rag.words import stem

    assert stem("closure") == stem("closed") == stem("close")
    assert stem("died") == stem("die") == stem("dies") and stem("needed") == stem("need")


def test_a_party_is_also_named_by_its_members_word():
    sentence = "Ann Vale is a Republican member of the state senate and a former Green Party organiser."
    context = Context(question="What political party is Ann Vale a member of?",
                      entities=(("NORP", 14, 24), ("ORG", 65, 76)))
    assert _slices("organisation", sentence, context) == ["Republican", "Green Party"]
    assert _slices("organisation", sentence, Context(entities=(("NORP", 14, 24),))) == ["Green Party"]
    sentence = "Vale was elected as a Republican to the Thirty-sixth Congress and sat on the Finance Committee."
    context = Context(question="What political party was Ann Vale affiliated with?", entities=(("NORP", 22, 32),))
    assert _slices("organisation", sentence, context) == ["Republican"]  # a legislature or committee is no party


def test_an_organisation_named_with_and_is_one_name_unless_the_and_starts_another():
    found = claims.organisations("Grants go through the Bureau of Arts and Letters, the Office of Health and Safety "
                                 "Policy and the Water Board.")
    assert [r.key.text for r in found] == ["Bureau of Arts and Letters", "Office of Health and Safety Policy",
                                           "Water Board"]


@pytest.mark.parametrize("sentence, expected", [
    ("The tunnel will be closed on weekends only, while crews work on Saturdays and Sundays.", ["weekends"]),
    ("Crews will keep the tunnel shut around the clock until June.", ["continuous"]),
    ("The library opens 24 hours a day during exams.", ["continuous"]),
    ("The museum stays open at night in summer, and during the day in winter.", ["nights", "daytime"]),
    ("Trains run Monday through Friday.", ["weekdays"]),
    ("Weekend traffic and weekday commuters will both be affected.", []),  # who travels when, not when it applies
])
def test_schedules_are_when_something_applies(sentence, expected):
    found = claims.extract("schedule", sentence)
    assert [r.key.text for r in found] == expected
    assert all(sentence[r.start:r.end] for r in found)
