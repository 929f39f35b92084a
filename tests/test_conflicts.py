"""Conflict-aware answers end to end: real corpora, real model, real store. The harbor corpus (a different
topic, written for these tests) shows that nothing in the detector is specific to the seed articles."""

import pytest

from rag.answer import verify


def _quotes_by_position(answer, conflict):
    by_n = {c.n: c for c in answer.citations}
    return [[by_n[n] for n in p.citations] for p in conflict.positions]


def _holds(citations, phrase, source_prefix):
    return any(phrase.lower() in c.quote.lower() and c.source_id.startswith(source_prefix) for c in citations)


def test_seed_days_ahead_of_release_every_side_quoted_and_the_later_signing_marked(seed_pipeline):
    answer = seed_pipeline.ask("How many days before release would companies have shared their models?")
    verify(answer, seed_pipeline.articles())
    assert answer.answer.startswith("The reports disagree: ")
    contradiction = next(c for c in answer.conflicts if c.kind == "contradiction")
    sides = _quotes_by_position(answer, contradiction)
    for phrase, source in [("up to 90 days", "000_"), ("at least 90 days", "001_"), ("between 14 and 90 days", "004_")]:
        assert any(_holds(side, phrase, source) for side in sides), phrase
    later = next(c for c in answer.conflicts if c.kind == "later development")
    last = _quotes_by_position(answer, later)[-1]
    assert _holds(last, "30-day", "004_23f6249daf0a2d12-similar-1")
    assert "later" in later.note


def test_seed_voluntary_or_required(seed_pipeline):
    question = "Was participation voluntary or required?"
    retrieved = seed_pipeline.retrieve(question)
    finding = seed_pipeline._finder.analyse(question, question, retrieved.evidence, retrieved.articles)
    [conflict] = [d for d in finding.disagreements if d.kind == "contradiction"]
    by_key = {side.values[0].key: {v.source_id[:3] for v in side.values} for side in conflict.sides}
    assert by_key["modality:voluntary"] >= {"000", "003"}
    assert by_key["modality:required"] == {"004"}
    for side in finding.positions:  # every source in its own words, each an exact slice of its article
        for value in side.values:
            assert retrieved.articles[value.source_id].text[value.start:value.end] == value.text
    answer = seed_pipeline.ask(question)
    assert answer.lead.text.startswith("The reports disagree: ") and "voluntary" in answer.lead.text


def test_seed_role_former_or_current(seed_pipeline):
    answer = seed_pipeline.ask("Who is David Sacks?")
    [conflict] = answer.conflicts
    assert any("former" in p.claim for p in conflict.positions)
    assert any("former" not in p.claim for p in conflict.positions)


@pytest.mark.parametrize("question", [
    "What did Trump say about China when he postponed the order?",
    "Where is the Center for AI Standards and Innovation housed?",
    "What role would the Treasury Department have played under the order?",
])
def test_seed_undisputed_points_report_no_conflict(seed_pipeline, question):
    answer = seed_pipeline.ask(question)
    assert not answer.abstained and answer.conflicts == ()
    assert not answer.answer.startswith(("The reports disagree", "The reports give differing"))


@pytest.mark.parametrize("question,kind,phrases", [
    ("How long will the Harbor Bridge be closed?", "contradiction",
     ["up to 60 days", "at least 60 days", "between 30 and 45 days"]),
    ("When does the Harbor Bridge closure start?", "contradiction", ["March 9", "March 16"]),
    ("Do I have to pay to ride the temporary ferry during the closure?", "contradiction",
     ["free of charge", "mandatory fare"]),
    ("Has the city council approved the bridge repair contract yet?", "later development", ["postponed", "approv"]),
    ("Why is Port Alder closing the Harbor Bridge?", "differing accounts", ["corrosion", "budget pressure"]),
    # 'former' appears only in the later-dated report, so this reads as a change over time, not an error
    ("What is Tomas Brennan's job?", "later development", ["the harbor master", "former harbor master"]),
    ("Which agency is in charge of inspecting the bridge during the repairs?", "differing accounts",
     ["City Engineering Office", "State Transport Department"]),
])
def test_harbor_planted_disagreements_are_found(harbor_pipeline, question, kind, phrases):
    answer = harbor_pipeline.ask(question)
    verify(answer, harbor_pipeline.articles())
    conflict = next((c for c in answer.conflicts if c.kind == kind), None)
    assert conflict is not None, [(c.kind, c.aspect) for c in answer.conflicts]
    sides = _quotes_by_position(answer, conflict)
    for phrase in phrases:  # every side is quoted, each in a different position
        assert sum(any(phrase.lower() in c.quote.lower() for c in side) for side in sides) >= 1, phrase
    assert answer.answer.startswith(("The reports disagree: ", "The reports give differing accounts: "))


def test_harbor_later_development_names_the_dates(harbor_pipeline):
    answer = harbor_pipeline.ask("Has the city council approved the bridge repair contract yet?")
    later = next(c for c in answer.conflicts if c.kind == "later development")
    assert "2026" in later.note and "later" in later.note


@pytest.mark.parametrize("question", [
    "How much traffic does the Harbor Bridge normally carry?",
    "What year did the Harbor Bridge open?",
    "What detour should drivers use while the bridge is closed?",
    "How much does the bridge repair contract cost?",
])
def test_harbor_agreement_in_different_words_is_not_a_conflict(harbor_pipeline, question):
    answer = harbor_pipeline.ask(question)
    assert not answer.abstained and answer.conflicts == ()


# the finder on hand-made evidence: general English sentences, no retrieval ---------------------------------

from rag import annotate  # noqa: E402
from rag.conflicts import ConflictFinder  # noqa: E402
from rag.types import Article, Evidence  # noqa: E402

_OTHER = ["The museum opened a new wing.", "Visitors praised the staff.", "Parking remains limited downtown."]


def _finding(question, sentences, published=None, *, named=False):
    """Each sentence its own article (plus three unrelated ones), all equally close to the question. `named`:
    with the named entities the index reads (spaCy), as the pipeline has them."""
    articles = {f"s{i}": Article(id=f"s{i}", text=t, published=(published or {}).get(i, ""))
                for i, t in enumerate(sentences)}
    articles |= {f"o{i}": Article(id=f"o{i}", text=t) for i, t in enumerate(_OTHER)}
    read = annotate.entities(sentences) if named else [() for _ in sentences]
    evidence = [Evidence(source_id=f"s{i}", start=0, end=len(t), text=t, score=0.8, similarity=0.8, entities=read[i])
                for i, t in enumerate(sentences)]
    return ConflictFinder().analyse(question, question, evidence, articles)


def _keys(finding):
    return [{v.key for v in side.values} for side in finding.positions]


def test_a_duration_of_something_else_is_not_the_asked_length():
    finding = _finding("How long will the tunnel be closed?", [
        "The tunnel will be closed for up to 30 days, officials said.",
        "Drivers have less than two weeks to plan around the tunnel closure.",
        "The board approved the contract two days after the vote on the tunnel.",
        "The tunnel is inspected on a two-year cycle."])
    assert _keys(finding) == [{"duration:max:0-30"}]
    assert finding.disagreements == ()


def test_a_meetings_weekday_is_not_the_asked_date_and_other_owners_are_other_things():
    finding = _finding("When will the tunnel reopen?", [
        "The tunnel will reopen on June 3, 2026.",
        "Under the plan described at Tuesday's meeting, the tunnel will reopen in stages."],
        published={1: "June 1, 2026"})
    assert _keys(finding) == [{"date:2026-06-03"}]
    finding = _finding("Was the treaty cancelled?", [
        "The treaty was postponed until the autumn.",
        "The minister revoked Smith's treaty on fishing rights last year."])
    assert _keys(finding) == [{"status:delayed"}]


def test_free_is_a_price_only_when_said_of_the_thing():
    finding = _finding("Do visitors have to pay to enter the park?", [
        "Entry to the park will be free of charge all summer.",
        "Visitors to the park must pay a $5 entrance fee, the ranger said.",
        "The park's founders believed in a free press."])
    assert _keys(finding) == [{"money:exact:0-0"}, {"money:exact:5-5"}]
    [conflict] = finding.disagreements
    assert conflict.kind == "contradiction"


def test_later_is_not_a_later_development_but_an_enacted_state_is():
    finding = _finding("How many days of notice would landlords have to give?", [
        "The draft bill would require landlords to give at least 60 days of notice.",
        "The hearing, set for later Thursday afternoon, would consider up to 30 days of notice for landlords."])
    assert [d.kind for d in finding.disagreements] == ["contradiction"]
    finding = _finding("How many days of notice would landlords have to give?", [
        "The draft bill would require landlords to give at least 60 days of notice.",
        "The governor signed a version that gives tenants 30 days of notice from landlords."])
    assert [d.kind for d in finding.disagreements] == ["later development"]


def test_dated_sources_are_ordered_by_date_and_agreement_is_one_position():
    finding = _finding("How long will the tunnel be closed?", [
        "The tunnel will be closed for sixty days.",
        "The tunnel will close for 60 days, engineers said."],
        published={0: "March 5, 2026", 1: "March 2, 2026"})
    [side] = finding.positions
    assert [v.source_id for v in side.values] and side.claim == "60 days"  # the earliest source's words
    assert finding.disagreements == () and finding.answerable


def test_no_value_of_the_asked_type_is_no_answer():
    finding = _finding("How many employees does the museum have?", [
        "The museum opened a new wing in 2019.", "The museum's staff praised the visitors."])
    assert not finding.answerable and finding.positions == ()


def test_one_name_for_two_things_is_ambiguous_and_each_position_says_which():
    finding = _finding('Who is the artist of the album "Quiet Harbour"?', [
        "Quiet Harbour (Ann Vale album) Quiet Harbour is a studio album by the singer Ann Vale.",
        "Quiet Harbour (Tom Reed album) Quiet Harbour is the second album by the pianist Tom Reed."])
    assert finding.ambiguous
    assert sorted(s.entity for s in finding.positions) == ["Ann Vale album", "Tom Reed album"]
    for side in finding.positions:  # the maker each source names ('an album by the singer Ann Vale'), under
        [value] = side.values         # the meaning it is about
        assert value.text == side.entity.removesuffix(" album")
    finding = _finding("When was Ann Vale born?", [
        "Ann Vale (born 3 July 1950) is a singer.", "Ann Vale (1950 – 2020) was a singer from Leeds."])
    assert not finding.ambiguous  # a birth date and a life span are not other things of the same name


def test_a_value_before_and_after_enactment_are_two_positions_and_earlier_ones_stay_apart():
    finding = _finding("How many days of notice would landlords have to give?", [
        "The draft bill would require landlords to give at least 60 days of notice.",
        "An earlier draft gave tenants up to 60 days of notice from landlords.",
        "The governor signed a version that gives tenants at least 60 days of notice from landlords."])
    later = next(d for d in finding.disagreements if d.kind == "later development")
    assert [{v.source_id for v in s.values} for s in later.sides] == [{"s0"}, {"s1"}, {"s2"}]
    for side in finding.positions:  # no position holds a signed and an unsigned sentence
        assert len({v.source_id for v in side.values}) == 1
    for d in finding.disagreements:
        for side in d.sides:
            assert len({v.key for v in side.values}) == 1, side


def test_titles_are_each_sources_own_words_and_the_asked_person_is_the_subject():
    finding = _finding("What role does John Reed play for Ann Vale?", [
        "John Reed, the club treasurer, spoke first.",
        "Club adviser John Reed said the vote would wait.",
        "Ann Vale, the club president, thanked John Reed.",
        "The meeting was chaired by former club treasurer John Reed."])
    claims = {side.claim for side in finding.positions}
    assert "the club president" not in claims  # Ann Vale's title, not the asked person's
    assert {"the club treasurer", "Club adviser"} <= claims  # two current titles, not one 'current' position
    [later] = finding.disagreements  # two current titles are no dispute; the former one is later
    assert later.kind == "later development" and later.sides[-1].claim == "former club treasurer"


def test_an_outcome_counts_for_the_thing_it_happened_to():
    finding = _finding("Did the mayor sign the parking ordinance?", [
        "The mayor postponed signing the parking ordinance on Monday, aides said.",
        "The mayor canceled the signing ceremony for the parking ordinance, pulling the event at noon.",
        "A council vote on the parking ordinance, which had been expected on Friday, was delayed again."])
    [side] = finding.positions  # the ceremony was cancelled, not the ordinance
    assert {v.source_id for v in side.values} == {"s0", "s2"} and side.values[0].key == "status:delayed"
    finding = _finding("Was the signing ceremony for the parking ordinance cancelled?", [
        "The mayor canceled the signing ceremony for the parking ordinance, pulling the event at noon."])
    assert [v.key for side in finding.positions for v in side.values] == ["status:cancelled"]


def test_that_thing_is_the_one_the_sentence_before_speaks_of():
    def finding(before):
        text = before + " The mayor repealed that ordinance in March."
        start = text.index("The mayor repealed")
        articles = {"s0": Article(id="s0", text="The mayor postponed signing the parking ordinance on Monday."),
                    "s1": Article(id="s1", text=text)}
        articles |= {f"o{i}": Article(id=f"o{i}", text=t) for i, t in enumerate(_OTHER)}
        evidence = [Evidence(source_id="s0", start=0, end=len(articles["s0"].text), text=articles["s0"].text,
                             score=0.8, similarity=0.8),
                    Evidence(source_id="s1", start=start, end=len(text), text=text[start:], score=0.8,
                             similarity=0.8)]
        question = "Did the mayor sign the parking ordinance?"
        return ConflictFinder().analyse(question, question, evidence, articles)
    # Ann Vale's ordinance is another one: what happened to it is no side of the asked ordinance's outcome
    assert _keys(finding("Ann Vale's 2019 parking ordinance limited trucks downtown.")) == [{"status:delayed"}]
    # with no other owner, 'that ordinance' is the asked one
    assert {"status:cancelled"} in _keys(finding("The parking ordinance limited trucks downtown."))


def test_a_span_of_days_agrees_with_a_date_inside_it_and_a_weekday_is_the_date_on_that_weekday():
    published = {0: "2026-05-25", 1: "2026-05-25"}
    finding = _finding("When did Ann Vale call the mayor?", [
        "Ann Vale called the mayor between Wednesday night and Thursday morning, aides said.",
        "Ann Vale called the mayor early on May 21, 2026, aides said."], published)
    # the printed date puts 'Thursday' on May 21 2026, and the span holds the other source's date: no dispute
    assert finding.disagreements == () and len(finding.positions) == 1
    finding = _finding("When did Ann Vale call the mayor?", [
        "Ann Vale called the mayor on Thursday, aides said.",
        "Ann Vale called the mayor early on May 21, 2026, aides said."], {0: "2026-05-30"})
    # printed nine days later, 'Thursday' resolves to May 28; May 21 is the one claimed Thursday
    assert finding.disagreements == () and len(finding.positions) == 1
    finding = _finding("When did Ann Vale call the mayor?", [
        "Ann Vale called the mayor between Wednesday night and Thursday morning, aides said.",
        "Ann Vale called the mayor early on May 21, aides said."], {0: "2026-05-16"})
    # 'May 21' with no year is a Thursday in the weekday's year, and the span ends on it: no dispute
    assert finding.disagreements == () and len(finding.positions) == 1
    finding = _finding("When did Ann Vale call the mayor?", [
        "Ann Vale called the mayor between Monday and Tuesday, aides said.",
        "Ann Vale called the mayor early on May 21, 2026, aides said."], {0: "2026-05-20"})
    assert finding.disagreements  # a span that does not hold the date is another account


def test_a_reason_for_an_outcome_is_not_the_reason_for_the_event_asked_about():
    sentences = ["The council delayed the vote on the parking plan, citing concerns about the cost.",
                 "The council drafted the parking plan partly in response to complaints about congestion."]
    finding = _finding("What prompted the council to draft the parking plan?", sentences)
    assert [v.text for side in finding.positions for v in side.values] == ["complaints about congestion"]
    finding = _finding("Why did the council delay the vote on the parking plan?", sentences)
    assert "concerns about the cost" in [v.text for side in finding.positions for v in side.values]
    finding = _finding("What prompted the council to draft the parking plan?", [
        "The council delayed signing a draft of the parking plan, citing concerns about the cost.",
        sentences[1]])  # 'a draft' is the noun, not the asked event
    assert [v.text for side in finding.positions for v in side.values] == ["complaints about congestion"]


def test_an_obligation_is_read_for_the_action_asked_not_another():
    finding = _finding("Would landlords taking part have had to hold back rent increases during the review?", [
        "Landlords could voluntarily take part in the rent review, officials said.",
        "The rules set no mandatory hold on rent increases during the review."])
    assert [{v.source_id for v in side.values} for side in finding.positions] == [{"s1"}]
    finding = _finding("Would landlords have been required to take part in the rent review?", [
        "Landlords could voluntarily take part in the rent review, officials said."])
    assert [v.key for side in finding.positions for v in side.values] == ["modality:voluntary"]


def test_a_date_is_the_one_the_asked_verb_takes():
    finding = _finding("When was the Port Alder chapel built?", [
        "The Port Alder chapel was built in 1856, restored in 1951 and reopened in 1970.",
        "Work on the Port Alder chapel ran from 1850 until it was built in 1856."])
    assert _keys(finding) == [{"date:1856"}]
    finding = _finding("When was the Port Alder chapel built?", [
        "The Port Alder chapel was built in 1902–1903 of local stone."])
    assert [v.text for side in finding.positions for v in side.values] == ["1902–1903"]


def test_a_date_is_of_the_asked_event_not_of_what_was_said_or_done_around_it():
    sentences = ["The city will close the tunnel to all traffic starting June 3, officials announced Monday.",
                 "The tunnel, which opened in 1971, will close on June 10 under the new schedule.",
                 "The mayor defended the closure at a meeting on Wednesday.",
                 "Bus fares rise while the tunnel is closed, according to a notice posted by the transit office "
                 "on Tuesday."]
    # 'shut' is not in the articles: 'close' is said in its place; the day something was announced, posted or
    # defended is not the day of the closing
    for question in ("When will the tunnel close?", "How soon does the tunnel shut?"):
        assert _keys(_finding(question, sentences)) == [{"date:--06-03"}, {"date:--06-10"}], question
    # a birth is dated by 'born', and a life span by its form
    finding = _finding("When was Ann Vale born?", ["Ann Vale (born 1975) is a footballer who moved in 1999.",
                                                   "Ann Vale (1911–1984) was a painter."])
    assert _keys(finding) == [{"date:1975"}, {"date:1911"}]


def test_membership_is_stated_without_the_questions_verb():
    finding = _finding("What political party was Ann Vale affiliated with?", [
        "Ann Vale was elected to the state senate for the Harbour Party in 1990."])
    assert [v.text for side in finding.positions for v in side.values] == ["Harbour Party"]


def test_a_life_span_answers_born_with_its_first_date_and_died_with_its_second():
    sentences = ["Ann Vale (9 July 1848 – 3 June 1912) was a painter from Leeds.",
                 "The painter Ann Vale was born in 1848, records show."]
    born = _finding("When was Ann Vale born?", sentences)
    [side] = born.positions  # '1848' alone fits the one fuller date of 1848: one position, both sources
    assert {v.source_id for v in side.values} == {"s0", "s1"} and "date:1912-06-03" not in _keys(born)[0]
    assert born.disagreements == ()
    died = _finding("When did Ann Vale die?", sentences)
    assert {"date:1912-06-03"} in _keys(died) and {"date:1848-07-09"} not in _keys(died)


def test_a_measure_is_answered_by_the_figure_attached_to_it():
    finding = _finding("What is the population of Port Alder?", [
        "As of the census of 2010, Port Alder had a population of 3,046, 1,085 households and 870 families.",
        "The population density of Port Alder was 36.4 people per square mile.",
        "In the 2016 census Port Alder recorded a population of 3,120, a change from its 2011 population of 2,990.",
        "Some 8,000 people attended the Port Alder harbour festival."])
    assert _keys(finding) == [{"number:exact:3046-3046"}, {"number:exact:3120-3120"}]  # not households,
    # density, the 2011 figure the 2016 one is compared with, or a crowd
    text = "Port Alder is a fishing town on the coast. The population was 2,772 at the 2010 census."
    start = text.index("The population")
    articles = {"a": Article(id="a", text=text), "b": Article(id="b", text="The population was 9,100 in 2010.")}
    articles |= {f"o{i}": Article(id=f"o{i}", text=t) for i, t in enumerate(_OTHER)}
    evidence = [Evidence(source_id="a", start=start, end=len(text), text=text[start:], score=0.8, similarity=0.8),
                Evidence(source_id="b", start=0, end=33, text=articles["b"].text, score=0.8, similarity=0.8)]
    finding = ConflictFinder().analyse("What is the population of Port Alder?", "", evidence, articles)
    # the sentence leaves the town to its article; an article that never names it is about somewhere else
    assert _keys(finding) == [{"number:exact:2772-2772"}]
    # a head count of residents states the population, its counted noun in the slice, however unlike the
    # question the sentence is worded (cosine far below the others')
    text = "Port Alder is a fishing town. As of the census of 2010, there were 3,559 people, 1,575 households."
    start = text.index("As of")
    evidence = [Evidence(source_id="a", start=start, end=len(text), text=text[start:], score=0.1, similarity=0.05),
                Evidence(source_id="o0", start=0, end=len(_OTHER[0]), text=_OTHER[0], score=0.8, similarity=0.8)]
    articles = {"a": Article(id="a", text=text)} | {f"o{i}": Article(id=f"o{i}", text=t) for i, t in enumerate(_OTHER)}
    finding = ConflictFinder().analyse("What is the population of Port Alder?", "", evidence, articles)
    assert [v.text for side in finding.positions for v in side.values] == ["3,559 people"]


def test_a_life_span_after_a_name_says_when_it_was_born_without_the_word():
    sentences = ["Ann Vale (Leeds painter) Ann Vale (9 July 1848 – 3 June 1912) was a painter.",
                 "Ann Vale (Bristol singer) Ann Vale (1901 – 1960) was a singer.",
                 "The painter Ann Vale was born in 1848, records show."]
    # every article names her, so her name tells no sentence apart: only 'born' or the life span can
    articles = {f"s{i}": Article(id=f"s{i}", text=t) for i, t in enumerate(sentences)}
    evidence = [Evidence(source_id=f"s{i}", start=0, end=len(t), text=t, score=0.8, similarity=0.8)
                for i, t in enumerate(sentences)]
    finding = ConflictFinder().analyse("When was Ann Vale born?", "", evidence, articles)
    held = {frozenset(v.key for v in side.values) for side in finding.positions}
    assert held == {frozenset({"date:1848-07-09", "date:1848"}), frozenset({"date:1901"})}


def test_a_verb_of_founding_is_answered_by_another():
    sentences = ["The Port Alder museum opened in August 1998 with one gallery.",
                 "The Port Alder museum was renovated in 2015.", "The Port Alder museum has a cafe."]
    articles = {f"s{i}": Article(id=f"s{i}", text=t) for i, t in enumerate(sentences)}  # every one names it
    evidence = [Evidence(source_id=f"s{i}", start=0, end=len(t), text=t, score=0.8, similarity=0.8)
                for i, t in enumerate(sentences)]
    finding = ConflictFinder().analyse("When was the Port Alder museum established?", "", evidence, articles)
    assert _keys(finding) == [{"date:1998-08"}]  # opened answers established; a renovation does not


def test_an_outcome_asked_of_it_is_any_things_outcome():
    sentences = ["The mayor postponed signing the parking ordinance on Monday, aides said.",
                 "The mayor signed a revised parking ordinance requiring permits, aides said."]
    asked = _finding("Did the mayor end up signing the parking ordinance?", sentences)
    follow_up = _finding("Did the mayor end up signing it?", sentences)  # the thing is in the conversation
    keys = lambda f: sorted(k for ks in _keys(f) for k in ks)  # noqa: E731
    assert keys(follow_up) == keys(asked) == ["status:delayed", "status:done"]


def test_a_thing_asked_by_one_noun_is_found_under_a_noun_news_uses_for_it():
    finding = _finding("Did the board give the go-ahead to the tunnel deal?", [
        "The board approved the tunnel repair contract on Thursday night in a 6-1 vote.",
        "The board postponed its vote on the tunnel repair contract, saying members needed more time."])
    assert _keys(finding) == [{"status:done"}, {"status:delayed"}]  # a 'deal' is the 'contract' agreed
    assert [d.kind for d in finding.disagreements] == ["later development"]


def test_sources_in_reference_style_may_be_about_different_bearers_of_the_name_so_each_keeps_its_dates():
    # '(born 1975)' dates a birth in one source; the other, a '(died 1668)' entry, tells its birth in other
    # words, and is not stripped of it by the first source's wording: they may be two people
    finding = _finding("When was Ann Vale born?", [
        "Ann Vale (born 1975) is a footballer who moved to Leeds in 1999.",
        "Ann Vale (died 1668) was a courtier who entered the world in 1601."])
    assert _keys(finding) == [{"date:1975"}, {"date:1601"}]
    # without a reference-style entry, a date said of the asked event still outranks one said around it
    finding = _finding("When will the tunnel close?", [
        "The tunnel will close on June 10, officials said.",
        "The mayor spoke about the tunnel closure at a meeting on June 2."])
    assert _keys(finding) == [{"date:--06-10"}]


def test_a_place_or_a_nationality_in_the_clause_is_a_detail_not_another_subject():
    # a name few articles mention makes its clause about something else, unless it is where the event happened
    # or an adjective of the asked subject
    for sentence in ("Ann Vale, an English courtier, was born in Hereford in 1601.",
                     "Ann Vale was an English courtier born in 1601."):
        assert _keys(_finding("When was Ann Vale born?", [sentence], named=True)) == [{"date:1601"}], sentence
    finding = _finding("When was Ann Vale born?", ["Ann Vale was born in 1601.",
                                                   "Tom Reed was born in 1570 and later hired Ann Vale."], named=True)
    assert _keys(finding) == [{"date:1601"}]  # another person's birth is not hers


def test_when_a_closure_applies_is_a_contradiction_between_schedules():
    finding = _finding("Is the tunnel shut only on weekends?", [
        "The tunnel will be shut on weekends only, so weekday commuters can keep using it.",
        "The tunnel will be shut around the clock while the repairs last.",
        "The ferry that replaces it will run overnight."])  # another thing's schedule
    assert _keys(finding) == [{"schedule:weekends"}, {"schedule:continuous"}]
    [conflict] = finding.disagreements
    assert conflict.kind == "contradiction" and conflict.aspect == "when it applies"


def test_one_article_stating_two_schedules_contradicts_itself_and_says_so(harbor_pipeline):
    answer = harbor_pipeline.ask("Is the Harbor Bridge going to be closed just on Saturdays and Sundays?")
    verify(answer, harbor_pipeline.articles())
    assert answer.answer.startswith("The report contradicts itself: ")
    [conflict] = answer.conflicts
    quotes = [c.quote for c in answer.citations]
    assert any("weekends only" in q for q in quotes) and any("around the clock" in q for q in quotes)
    assert {c.source_id for c in answer.citations if c.n in {n for p in conflict.positions for n in p.citations}} \
        == {"02_council-delays-vote"}


def test_a_person_the_recogniser_misses_is_still_the_one_whose_title_is_asked():
    from rag.conflicts import expansions

    question = "Is Vale still the Port Authority chair, or did she leave the job?"  # spaCy reads only 'Port Authority'
    assert "Vale" in expansions(question)  # every passage naming her is searched for, not the authority's
    finding = _finding(question, ["Port Authority chair Ann Vale defended the budget on Monday.",
                                  "Former Port Authority chair Ann Vale now runs a shipping firm."])
    assert _keys(finding) == [{"role:current"}, {"role:former"}]
    assert [d.aspect for d in finding.disagreements] == ["how Vale is described"]


def test_an_event_asked_by_its_generic_noun_is_the_ceremony_a_source_names():
    finding = _finding("Was the harbor event called off, or just pushed back?", [
        "The mayor canceled the ribbon-cutting ceremony at the harbor on Monday.",
        "The harbor event was delayed by a week, organisers said."])
    assert _keys(finding) == [{"status:cancelled"}, {"status:delayed"}]
    assert [d.kind for d in finding.disagreements] == ["contradiction"]


def test_who_decides_is_answered_by_who_determines():
    finding = _finding("Which office would have decided which bids qualify?", [
        "The Procurement Office would determine which bids qualify for the harbor contract."])
    assert _keys(finding) == [{"organisation:Procurement Office"}]


def test_who_is_answered_by_an_organisation_when_no_person_is_named():
    finding = _finding("Who is in charge of inspecting the tunnel during the work?", [
        "Inspections of the tunnel will be run by the State Transport Department during the work.",
        "The City Engineering Office will inspect the tunnel during the work, the mayor said."])
    assert finding.question.aspect == "organisation"
    assert {k for keys in _keys(finding) for k in keys} == {"organisation:State Transport Department",
                                                           "organisation:City Engineering Office"}


def test_when_something_begins_is_when_it_starts(harbor_pipeline):
    # every harbor article speaks of the closure, so 'begin' is the question's telling word; 'starting March 16'
    # and 'close the bridge on March 9' answer it
    answer = harbor_pipeline.ask("When does the closure begin?")
    verify(answer, harbor_pipeline.articles())
    [conflict] = [c for c in answer.conflicts if c.kind == "contradiction"]
    shown = {p.claim for p in conflict.positions}
    assert any("March 9" in c for c in shown) and any("March 16" in c for c in shown), shown


def test_a_sentence_stating_a_change_is_its_own_later_position_not_agreement_with_where_it_ended():
    from rag.provenance import shown

    finding = _finding("Was taking part voluntary or required?", [
        "Taking part in the review was voluntary for the firms.",
        "Originally the plan would have compelled firms to take part, but it was later watered down to make it "
        "voluntary.",
        "The review would have required firms to take part."])
    holders = [{v.source_id for v in side.values} for side in finding.positions]
    assert {"s0"} in holders and {"s1"} in holders  # not one 'voluntary' position for both
    [told] = [s for s in finding.positions if {v.source_id for v in s.values} == {"s1"}]
    assert told.claim == "at first compelled, later voluntary" and told.values[0].text == "voluntary"
    change = [d for d in shown(finding, {}) if d.kind == "later development"]
    assert change and [s.claim for s in change[0].sides] == ["at first compelled", "later voluntary"]


def test_every_pole_of_an_outcome_is_searched_in_the_words_the_extractor_reads(seed_pipeline):
    from rag.conflicts import EXPANSION
    from rag.values.status import statuses

    searched = {r.key.text for word in EXPANSION["status"].split() for r in statuses(f"It was {word}.")}
    assert searched == {"delayed", "cancelled", "done"}
    # one report says the order was killed, the others that it was postponed: a reader asking in other words
    # than 'cancelled' still sees that side
    answer = seed_pipeline.ask("Has the order been abandoned or just delayed?")
    killed = [c for c in answer.citations if c.source_id.startswith("000") and "killed" in c.quote]
    assert killed and f"[{killed[0].n}]" in answer.lead.text


def test_an_outcome_asked_as_a_state_is_read_from_the_verbs_sources_use():
    finding = _finding("Is the stadium plan dead or only on hold?", [
        "The council put the stadium plan on hold in March.",
        "The mayor killed the stadium plan on Tuesday."])
    assert _keys(finding) == [{"status:delayed"}, {"status:cancelled"}]
    assert [d.kind for d in finding.disagreements][:1] == ["contradiction"]


def test_the_second_answer_an_either_or_question_offers_is_not_a_thing_the_corpus_must_name(harbor_pipeline):
    # no harbor article says 'scrapped'; the question still asks about the vote, which they all report
    answer = harbor_pipeline.ask("Has the vote stalled or been scrapped?")
    assert not answer.abstained


def test_whether_one_could_decline_is_answered_by_sentences_that_never_say_decline():
    finding = _finding("Could a tenant have declined to take part in the rent survey?", [
        "Taking part in the rent survey was voluntary for tenants.",
        "The rules would have required every tenant to answer the rent survey."])
    assert _keys(finding) == [{"modality:voluntary"}, {"modality:required"}]


_COPIED = ("Quiet Harbour ({who} album) Quiet Harbour is the second studio album by the rock band {who}. It was "
           "released on June 24, 1997 through Epic Records. The recording sessions took place from December 1996 "
           "to January 1997 at a studio in Seattle, and the band toured the record through the autumn.")


def test_one_page_printed_twice_with_the_name_swapped_is_a_dispute_about_one_thing_not_two_things():
    question = 'Who is the band behind the album "Quiet Harbour"?'
    finding = _finding(question, [_COPIED.format(who="Ann Vale"), _COPIED.format(who="Tom Reed")])
    assert not finding.ambiguous and len(finding.disagreements) == 1
    finding = _finding('When did the band release the album "Quiet Harbour"?',  # no value differs but the name
                       [_COPIED.format(who="Ann Vale"), _COPIED.format(who="Tom Reed")])
    assert [sorted(v.text for s in d.sides for v in s.values) for d in finding.disagreements] == [
        ["Ann Vale album", "Tom Reed album"]]
    finding = _finding(question, [_COPIED.format(who="Ann Vale"), _COPIED.format(who="Tom Reed")])
    assert not finding.ambiguous
    [dispute] = finding.disagreements
    assert dispute.kind == "contradiction"
    assert sorted(v.text for s in dispute.sides for v in s.values) == ["Ann Vale", "Tom Reed"]  # 'by the band X'
    # a third album of the name, described in its own words, is still another thing: ambiguous, and the copied
    # pair is still a dispute
    finding = _finding(question, [_COPIED.format(who="Ann Vale"), _COPIED.format(who="Tom Reed"),
                                  "Quiet Harbour (Port Alder album) Quiet Harbour is the debut record of the folk "
                                  "trio Port Alder, made in a barn in 2017."])
    assert finding.ambiguous
    assert [sorted(v.text for s in d.sides for v in s.values) for d in finding.disagreements
            if d.kind == "contradiction"] == [["Ann Vale", "Tom Reed"]]


def test_qualifiers_that_differ_only_in_spacing_are_one_meaning():
    finding = _finding("When was Ann Vale born?", [
        "Ann Vale (footballer, born 1892) was a forward for Leeds.",
        "Ann Vale ( footballer , born 1892 ) played for Leeds and York."])
    assert not finding.ambiguous


def test_a_census_count_is_a_population_and_a_figure_with_a_thousands_comma_is_not_a_year():
    # 'counted ... people' is a head count as 'there were ... people' is; '2,051' is a count, '2051' a year
    finding = _finding("What is the population of Port Alder?", [
        "Port Alder is a town. The 2010 census counted 3,171 people in the town.",
        "Port Alder is a town. As of the census of 2000, there were 2,051 people, 697 households."])
    assert [v.text for side in finding.positions for v in side.values] == ["3,171 people", "2,051 people"]


def test_who_made_a_work_is_named_by_by_or_as_its_owner_and_never_by_the_label_that_released_it():
    finding = _finding('Who is the artist of the album "Quiet Harbour"?', [
        "Quiet Harbour is the second studio album by American folk trio Port Alder, released in 2017 by Tidewater "
        "Records.",
        "Quiet Harbour is Ann Vale's second album, recorded in a barn in Leeds."], named=True)
    shown = sorted(v.text for side in finding.positions for v in side.values)
    assert shown == ["Ann Vale", "Port Alder"], shown


def test_a_position_is_stated_by_the_fullest_date_its_sentence_gives():
    finding = _finding("When was Ann Vale born?", [
        'Ann Vale (footballer, born 1888) Harold "Ann" Vale (September 1888 – March 1947) was a footballer.'])
    [side] = finding.positions
    assert side.values[0].text == "September 1888"


def _same_topic(question, texts):
    """Every article speaks of what the question names, so only the question's other words tell sentences apart."""
    articles = {f"s{i}": Article(id=f"s{i}", text=t) for i, t in enumerate(texts)}
    evidence = [Evidence(source_id=f"s{i}", start=0, end=len(t), text=t, score=0.8, similarity=0.8)
                for i, t in enumerate(texts)]
    return ConflictFinder().analyse(question, "", evidence, articles)


def test_constructed_is_answered_by_a_verb_of_building_or_founding():
    # every article speaks of the lighthouse, so the verb is the question's telling word
    finding = _same_topic("When was the Vale lighthouse constructed?", [
        "The Vale lighthouse was first established in 1856 after a schooner was lost on the rocks.",
        "The Vale lighthouse was built in 1875 to replace the first tower.",
        "The Vale lighthouse was automated in 1976.", "The Vale lighthouse was painted white in 1990."])
    assert _keys(finding) == [{"date:1856"}, {"date:1875"}]


def test_the_word_date_in_a_question_is_what_is_asked_not_a_word_the_answer_must_use():
    finding = _same_topic("What is the release date of Quiet Harbour?", [
        "Quiet Harbour was released on May 1, 2012.", "Quiet Harbour was released as a single too.",
        "Fans of Quiet Harbour waited years before it was released.", "Quiet Harbour was released to good reviews."])
    assert _keys(finding) == [{"date:2012-05-01"}]


def test_when_an_event_took_place_is_asked_of_the_event_named_with_a_possessive():
    finding = _same_topic("When did the Children's Strike take place?", [
        "On 24 October 1975, children across Vale went on strike.", "The children's strike closed every school.",
        "The strike was led by children and their teachers.", "Children still speak of the strike."])
    assert _keys(finding) == [{"date:1975-10-24"}]


def test_a_name_after_through_is_the_means_not_what_the_clause_is_about():
    finding = _finding('When was the album "Ann Vale" released?', [
        "Ann Vale is the debut album by Ann Vale, released July 4, 2000 through Tidewater Music."])
    assert _keys(finding) == [{"date:2000-07-04"}]


def test_a_bracketed_aside_does_not_cut_a_date_from_its_verb_and_a_fuller_date_of_that_year_is_kept():
    finding = _finding("When was Vale Grammar School established?", [
        "The school was founded as Vale County High School (VCHS) in 1912 as a result of an act.",
        "Educational institutions established in 1850 in Greater Leeds."])
    assert {"date:1912"} in _keys(finding)
    finding = _finding("When was the Vale Party founded?", [
        "The Vale Party is a political party in Leeds, founded in 1989.",
        "The Vale Party was founded by its members, a group of teachers, on 16 July 1989."])
    [side] = finding.positions
    assert (side.claim, side.values[0].text) == ("16 July 1989", "16 July 1989")


def test_a_date_of_that_thing_after_a_sentence_on_anothers_thing_is_not_the_asked_date():
    first, second = "Ann Vale's 2023 order required audits of every ferry.", \
        "The council revoked that order in January 2025 as one of its first acts."
    texts = {"s0": "The mayor was to sign the ferry order on May 21, 2026.", "s1": f"{first} {second}"}
    articles = {k: Article(id=k, text=t) for k, t in texts.items()}
    start = len(first) + 1
    evidence = [Evidence(source_id="s0", start=0, end=len(texts["s0"]), text=texts["s0"], score=0.8, similarity=0.8),
                Evidence(source_id="s1", start=start, end=start + len(second), text=second, score=0.8,
                         similarity=0.8)]
    finding = ConflictFinder().analyse("On what date was the order supposed to be signed?", "", evidence, articles)
    assert _keys(finding) == [{"date:2026-05-21"}]
