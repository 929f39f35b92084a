from dataclasses import replace
from pathlib import Path

import pytest
from langchain_core.language_models.fake_chat_models import FakeListChatModel

from rag import lead as leads
from rag.answer import AnswerComposer
from rag.errors import QuoteMismatchError
from rag.labels import label
from rag.llm import PROMPT, ExtractiveChatModel, answer_chain
from rag.types import Article, Disagreement, Evidence, Finding, QuestionAnalysis, Side, Value
from rag.verify import verify

SNAPSHOTS = Path(__file__).parent / "snapshots"
A = Article(id="a", text="The bridge closes for up to 60 days, officials said on Monday. It opened in 1968 after years "
                         "of work on the approaches.", outlet="Gazette", published="2026-03-01")
B = Article(id="b", text="Officials said the bridge closes for at least 60 days while crews replace the deck.",
            outlet="Ledger", published="2026-03-02")
C = Article(id="c", text="The bridge will close for 30 days under the signed plan, the council said in its notice.",
            title="Council signs the plan")
D = Article(id="d", text="Crews said the bridge opened in 1968, when the ferry stopped running across the harbor.",
            title='The "old" bridge at 50')
ARTICLES = {x.id: x for x in (A, B, C, D)}


def _evidence(article: Article, sentence: str, score: float = 0.8) -> Evidence:
    start = article.text.index(sentence)
    return Evidence(source_id=article.id, start=start, end=start + len(sentence), text=sentence, score=score,
                    similarity=score)


def _value(e: Evidence, words: str, key: str) -> Value:
    start = e.start + e.text.index(words)
    return Value(source_id=e.source_id, start=start, end=start + len(words), text=words, key=key)


UP_TO = _evidence(A, "The bridge closes for up to 60 days, officials said on Monday.", 0.9)
AT_LEAST = _evidence(B, B.text, 0.85)
SIGNED = _evidence(C, C.text, 0.8)
OPENED_A = _evidence(A, "It opened in 1968 after years of work on the approaches.", 0.9)
OPENED_D = _evidence(D, D.text, 0.85)


def _side(e: Evidence, words: str, key: str) -> Side:
    return Side(claim=words, evidence=(e,), values=(_value(e, words, key),))


def _compose(finding: Finding, evidence: list[Evidence], model=None):
    return AnswerComposer(answer_chain(model or ExtractiveChatModel())).compose(
        finding.question.text, evidence, finding, ARTICLES)


def _finding(kind: str, positions, disagreements=(), question="How long will it close?") -> Finding:
    return Finding(question=QuestionAnalysis(text=question, answer_type=kind), positions=tuple(positions),
                   disagreements=tuple(disagreements))


def _disputed() -> Finding:
    sides = (_side(UP_TO, "up to 60 days", "max:60"), _side(AT_LEAST, "at least 60 days", "min:60"),
             _side(SIGNED, "30 days", "exact:30"))
    return _finding("duration", sides, [
        Disagreement("the length of time", "contradiction", sides[:2]),
        Disagreement("the length of time", "later development", (Side("earlier", (UP_TO, AT_LEAST)), sides[2]))])


# the lead --------------------------------------------------------------------------------------------------------

def test_disputed_lead_names_each_position_and_an_undated_later_one():
    answer = _compose(_disputed(), [UP_TO, AT_LEAST, SIGNED])
    assert answer.lead.text == ("The reports disagree: Gazette reports up to 60 days [1]; Ledger reports at least 60 days "
                                "[2]; an undated Council signs the plan report says 30 days [3].")
    assert answer.answer.startswith(answer.lead.text + "\n\n")
    assert [(v.text, v.n) for v in answer.lead.values] == [("up to 60 days", 1), ("at least 60 days", 2), ("30 days", 3)]
    for v in answer.lead.values:
        source = ARTICLES[answer.citations[v.n - 1].source_id]
        assert source.text[v.start:v.end] == v.text


def test_undisputed_lead_states_the_fact_and_counts_the_reports():
    side = Side("1968", (OPENED_A, OPENED_D), (_value(OPENED_A, "1968", "1968"), _value(OPENED_D, "1968", "1968")))
    answer = _compose(_finding("date", [side], question="What year did the bridge open?"), [OPENED_A, OPENED_D])
    assert answer.lead.text == "Two reports say 1968 [1][2]."
    alone = _compose(_finding("date", [_side(OPENED_A, "1968", "1968")]), [OPENED_A])
    assert alone.lead.text == "1968 [1]."
    assert not alone.conflicts


def test_a_value_that_starts_in_lower_case_is_never_capitalised():
    answer = _compose(_finding("duration", [_side(UP_TO, "up to 60 days", "max:60")]), [UP_TO])
    assert answer.lead.text == "Gazette reports up to 60 days [1]."


def test_yes_no_leads():
    yes = _side(UP_TO, "closes for up to 60 days", "yes")
    agreed = _compose(_finding("yes/no", [yes], question="Does the bridge close?"), [UP_TO])
    assert agreed.lead.text == "The reports say yes: closes for up to 60 days [1]."
    no = _side(OPENED_D, "the bridge opened in 1968", "no")
    split = _compose(_finding("yes/no", [yes, no], [Disagreement("whether", "contradiction", (yes, no))]),
                     [UP_TO, OPENED_D])
    assert split.lead.text == ("The reports disagree: yes, Gazette reports closes for up to 60 days [1]; "
                               "no, The \"old\" bridge at 50 reports the bridge opened in 1968 [2].")


def test_a_title_answers_is_still_without_a_yes_or_no_read_from_shared_words():
    e = Article(id="e", text="Former bridge inspector Ann Vale said the deck was sound.", outlet="Courier",
                published="2026-03-03")
    f = Article(id="f", text="Harbor adviser Ann Vale said the deck was sound.", outlet="Herald",
                published="2026-03-01")
    former, current = _evidence(e, e.text), _evidence(f, f.text)
    sides = (_side(current, "Harbor adviser", "role:current"), _side(former, "Former bridge inspector", "role:former"))
    finding = _finding("yes/no", sides, [Disagreement("how Ann Vale is described", "later development", sides)],
                       question="Is Ann Vale still the bridge inspector?")
    answer = AnswerComposer(answer_chain(ExtractiveChatModel())).compose(
        finding.question.text, [current, former], finding, {"e": e, "f": f})
    # 'former bridge inspector' shares the question's words and means no: no yes or no is read from words
    assert answer.lead.text == ("The reports disagree: Herald reports Harbor adviser [1]; later, Courier reports "
                                "Former bridge inspector [2].")


def test_reasons_lead_gives_each_account_with_its_sources():
    deck = Side("crews replace the deck", (AT_LEAST,), (_value(AT_LEAST, "crews replace the deck", "r1"),))
    plan = Side("under the signed plan", (SIGNED,), (_value(SIGNED, "under the signed plan", "r2"),))
    answer = _compose(_finding("reason", [deck, plan], [Disagreement("the reason", "differing accounts", (deck, plan))],
                               question="Why does it close?"), [AT_LEAST, SIGNED])
    assert answer.lead.text == ("The reports give differing accounts: Ledger reports crews replace the deck [1]; "
                                "Council signs the plan reports under the signed plan [2].")


def test_ambiguous_name_is_said_and_answered_per_entity():
    one = replace(_side(OPENED_A, "1968", "a:1968"), entity="the old bridge")
    other = replace(_side(SIGNED, "30 days", "c:30"), entity="the new plan")
    answer = _compose(_finding("date", [one, other], [Disagreement("the date", "differing accounts", (one, other))]),
                      [OPENED_A, SIGNED])
    assert answer.lead.text.startswith("The name is ambiguous; the reports are about different things: Gazette reports "
                                       "1968 [1]; Council signs the plan reports 30 days [2].")


def test_abstention_when_nothing_answers():
    answer = _compose(replace(_finding("number", []), answerable=False), [UP_TO])
    assert answer.abstained and answer.answer == leads.ABSTAIN == answer.lead.text and not answer.citations
    assert answer.to_dict()["lead"] == {"text": leads.ABSTAIN, "values": []}


def test_description_without_a_typed_value_leads_with_the_best_sentence():
    answer = _compose(_finding("description", []), [AT_LEAST])
    assert answer.lead.text == f"“{AT_LEAST.text[:-1]}” [1]."


# quotes and labels -----------------------------------------------------------------------------------------------

def test_every_source_is_quoted_in_its_own_words_on_its_own_line():
    answer = _compose(_disputed(), [UP_TO, AT_LEAST, SIGNED])
    body = answer.answer.split("\n\n", 1)[1].splitlines()
    assert body == [f"Gazette: “{UP_TO.text}” [1]", f"Ledger: “{AT_LEAST.text}” [2]",
                    f"Council signs the plan: “{SIGNED.text}” [3]"]
    assert " agree" not in answer.answer


def test_fragments_and_headlines_are_not_supporting_quotes():
    page = Article(id="p", text="Bridge closes\n\nThe ceremony was scheduled. The bridge closes for up to 60 days while "
                                "crews replace the deck and the approaches.", outlet="Gazette")
    articles = {"p": page}
    heading, fragment = _evidence(page, "Bridge closes", 0.9), _evidence(page, "The ceremony was scheduled.", 0.9)
    whole = _evidence(page, page.text.split("scheduled. ")[1], 0.85)
    answer = AnswerComposer(answer_chain(ExtractiveChatModel())).compose(
        "How long?", [heading, fragment, whole], _finding("description", []), articles)
    assert [c.quote for c in answer.citations] == [whole.text]


def test_a_position_is_quoted_from_the_body_when_its_headline_holds_the_same_value():
    page = Article(id="h", title="Council approves the contract",
                   text="Council approves the contract\n\nThe council on Thursday approved the contract in a 6-1 vote.",
                   outlet="Observer")
    headline, body = _evidence(page, page.title, 0.9), _evidence(page, page.text.split("\n\n")[1], 0.8)
    side = Side(claim="approves", evidence=(headline, body),
                values=(_value(headline, "approves", "approved"), _value(body, "approved", "approved")))
    answer = AnswerComposer(answer_chain(ExtractiveChatModel())).compose(
        "Was it approved?", [headline, body], _finding("yes/no", [side]), {"h": page})
    assert [c.quote for c in answer.citations] == [body.text]
    assert answer.lead.values[0].text == "approved"


def test_labels_are_outlet_then_title_then_first_heading_or_words_never_an_id():
    assert label(A) == "Gazette"
    assert label(C) == "Council signs the plan"
    assert label(Article(id="001_c0ffee", text="Postponement and rationale\n\nThe order was delayed.")) == (
        "Postponement and rationale")
    assert label(Article(id="001_c0ffee", text="The order was delayed on Thursday by the president, aides said.")) == (
        "The order was delayed on Thursday…")
    assert label(Article(id="x", text="", title="A title\nwith a line break")) == "A title with a line break"
    assert len(label(Article(id="x", text="", title="word " * 40))) <= 61


# verification: the text the user reads ---------------------------------------------------------------------------

def _verified():
    answer = _compose(_disputed(), [UP_TO, AT_LEAST, SIGNED])
    verify(answer, ARTICLES)
    return answer


@pytest.mark.parametrize("mutate", [
    pytest.param(lambda t: t.replace("up to 60 days, officials", "up to 90 days, officials"), id="altered-quote"),
    pytest.param(lambda t: t.replace("deck.” [2]", "deck.” [1]"), id="swapped-body-marker"),
    pytest.param(lambda t: t.replace("60 days [1]; Ledger", "60 days [2]; Ledger", 1), id="swapped-lead-marker"),
    pytest.param(lambda t: t + "\nAll sources agree the bridge closes.", id="added-sentence"),
    pytest.param(lambda t: t.replace("Gazette reports up to", "Gazette confirms up to", 1), id="lead-word"),
    pytest.param(lambda t: t.replace("at least 60 days [2]", "at least 90 days [2]", 1), id="lead-value"),
    pytest.param(lambda t: t.replace("Ledger: “", "Gazette: “"), id="wrong-label"),
    pytest.param(lambda t: t.replace("\n\n", "\n\nIn short, it closes.\n"), id="inserted-line"),
    pytest.param(lambda t: t.replace("[2]; an undated", "[2]; “a new clause of words” [3]; an undated", 1),
                 id="added-clause"),
])
def test_a_mutated_answer_text_is_rejected(mutate):
    answer = _verified()
    mutated = replace(answer, answer=mutate(answer.answer), lead=replace(answer.lead, text=mutate(answer.answer).split("\n\n")[0]))
    assert mutated.answer != answer.answer
    with pytest.raises(QuoteMismatchError):
        verify(mutated, ARTICLES)


def test_a_citation_that_is_not_an_exact_slice_is_rejected():
    answer = _verified()
    tampered = replace(answer, citations=(replace(answer.citations[0], quote="The bridge closes for 60 days."),
                                          *answer.citations[1:]))
    with pytest.raises(QuoteMismatchError):
        verify(tampered, ARTICLES)
    shifted = replace(answer, citations=(replace(answer.citations[0], start=1), *answer.citations[1:]))
    with pytest.raises(QuoteMismatchError):
        verify(shifted, ARTICLES)


@pytest.mark.parametrize("reply", [
    pytest.param("Gazette: “The bridge closes for up to 90 days, officials said on Monday.” [1]", id="altered-quote"),
    pytest.param("All three sources agree that it closes.", id="own-sentence"),
    pytest.param("Ledger: “Officials said the bridge closes for at least 60 days while crews replace the deck.” [1]",
                 id="swapped-marker"),
])
def test_a_chat_model_that_alters_the_quotes_is_refused(reply):
    answer = _compose(_disputed(), [UP_TO, AT_LEAST, SIGNED], FakeListChatModel(responses=[reply]))
    assert reply not in answer.answer
    assert answer.answer == _verified().answer  # the plain, verified quote lines instead


def test_a_chat_model_may_reorder_the_lines():
    plain = _verified()
    lines = plain.answer.split("\n\n", 1)[1].splitlines()
    answer = _compose(_disputed(), [UP_TO, AT_LEAST, SIGNED], FakeListChatModel(responses=["\n".join(lines[::-1])]))
    assert answer.answer.split("\n\n", 1)[1].splitlines() == lines[::-1]


def test_a_title_with_quotation_marks_does_not_confuse_the_quotes():
    answer = _compose(_finding("date", [_side(OPENED_D, "1968", "1968")]), [OPENED_D])
    assert answer.lead.text == "1968 [1]."
    assert answer.answer.split("\n\n")[1] == f"The \"old\" bridge at 50: “{OPENED_D.text}” [1]"
    assert answer.citations[0].quote == D.text[answer.citations[0].start:answer.citations[0].end]


def test_prompt_snapshot():
    """The prompt any LLM backend sees; a change here should be a deliberate, reviewed change."""
    messages = PROMPT.format_messages(question="How long?", lead="Gazette reports up to 60 days [1].",
                                      quotes="Gazette: “It closes for up to 60 days.” [1]")
    rendered = "\n---\n".join(f"{m.type}: {m.content}" for m in messages)
    assert rendered == (SNAPSHOTS / "prompt.txt").read_text(encoding="utf-8")


def test_a_yes_no_question_is_answered_yes_or_no_by_the_value_it_names():
    officials = _side(UP_TO, "officials said", "source:officials")
    crews = _side(AT_LEAST, "crews replace the deck", "source:crews")
    both = [Disagreement("who", "contradiction", (officials, crews))]
    asked = _compose(_finding("yes/no", [officials, crews], both, question="Did officials announce it?"),
                     [UP_TO, AT_LEAST])
    assert asked.lead.text == ("The reports disagree: yes, Gazette reports officials said [1]; "
                               "no, Ledger reports crews replace the deck [2].")
    which = _compose(_finding("yes/no", [officials, crews], both, question="Did officials or crews announce it?"),
                     [UP_TO, AT_LEAST])
    assert which.lead.text.startswith("The reports disagree: Gazette reports officials said [1]; Ledger")


def test_an_obligation_is_led_by_its_phrase_and_answered_by_what_it_means():
    plan = Article(id="p", text="Officials said the plan would require crews to replace the deck at night.",
                   outlet="Ledger")
    crews = Article(id="e", text="Crews were not required to work at night under the plan.", outlet="Herald")
    articles = ARTICLES | {"p": plan, "e": crews}
    said, told = _evidence(plan, plan.text), _evidence(crews, crews.text)
    required = _side(said, "require", "modality:required")
    voluntary = _side(told, "not required", "modality:voluntary")
    finding = _finding("yes/no", [required, voluntary],
                       [Disagreement("whether", "contradiction", (required, voluntary))],
                       question="Were crews required to work at night?")
    answer = AnswerComposer(answer_chain(ExtractiveChatModel())).compose(
        finding.question.text, [said, told], finding, articles)
    # the words a reader needs, quoted as the source's; 'not required' means no though it shares the word
    assert answer.lead.text == ("The reports disagree: yes, Ledger reports “would require crews” [1]; "
                                "no, Herald reports “were not required” [2].")
    verify(answer, articles)
