"""Does the collection speak of what a question names (evidence.covered), read from its articles' words."""

from rag.evidence import content_words, covered

_ARTICLES = ["Ann Vale (August 15, 1891 – February 21, 1963) was a politician who served in the state senate.",
             "Vale was born in Port Alder and practised law there."]
_VOCABULARY = frozenset().union(*(content_words(t) for t in _ARTICLES))


def test_a_title_before_a_name_need_not_appear_in_the_articles():
    assert covered("When was Senator Vale born?", _VOCABULARY)
    assert covered("When was Judge Ann Vale born?", _VOCABULARY)
    assert not covered("When was Senator Tom Reed born?", _VOCABULARY)  # a name no article uses


def test_a_word_is_covered_by_another_form_of_it_and_pronouns_and_the_verb_are_not_counted():
    vocabulary = frozenset(content_words("The bridge deck is checked every year, inspectors say."))
    assert covered("How many years has the deck been checked?", vocabulary, verb="check")  # 'years' is 'year'
    assert covered("Did anyone fix the deck?", vocabulary, verb="fix")  # 'anyone' names nothing
    assert covered("Who is taking the deck?", vocabulary, verb="take")  # 'taking' is the question's verb
    assert not covered("Who paints the lighthouse?", vocabulary, verb="paint")


def test_adverbs_and_light_verbs_of_the_question_name_nothing_the_articles_must_use():
    from rag.question import analyse_question

    vocabulary = frozenset(content_words("The council said the bridge plan is on hold; some called it killed."))
    question = "Was the plan killed outright or just put on hold?"
    analysis = analyse_question(question)
    assert "outright" in analysis.incidental
    assert covered(question, vocabulary, verb=analysis.predicate, incidental=analysis.incidental)
    assert not covered(question, vocabulary, verb=analysis.predicate)  # 'outright' and 'put' are in no article
