"""Generator backends behind LangChain's chat-model interface, chosen by one setting (RAG_LLM).

The offline default, ExtractiveChatModel, needs no model server: it writes the answer body from the numbered
quotes in the prompt, verbatim, one line per quote, keeping the [n] markers. An LLM backend gets the very same
prompt; retrieval, conflict detection and citation checking do not change with the backend.
"""

from __future__ import annotations

import re
from typing import Any

from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.output_parsers import StrOutputParser
from langchain_core.outputs import ChatGeneration, ChatResult
from langchain_core.prompts import ChatPromptTemplate
from langchain_core.runnables import Runnable

from rag.errors import InvalidInputError

SYSTEM = """You answer questions about a set of news articles using ONLY the numbered quotes given.
Rules:
- Quote the sources verbatim inside quotation marks and put the quote's markers, like [1][2], after it.
- Never merge disagreeing sources into one story. The disagreements listed were already found in the quotes;
  do not resolve them and do not state one side as the fact.
- Cite sources that say the same thing together.
- If the quotes do not answer the question, say that the articles do not say."""

HUMAN = """Question: {question}

Disagreements found:
{conflicts}

Quotes (markers, who, quote):
{quotes}"""

PROMPT = ChatPromptTemplate.from_messages([("system", SYSTEM), ("human", HUMAN)])
QUOTE_LINE = re.compile(r'^(?P<markers>(?:\[\d+\])+) (?P<who>.*?): "(?P<quote>.*)"$')


class ExtractiveChatModel(BaseChatModel):
    """Writes each quote of the prompt as `who: “quote” [n]`, in the prompt's order; adds nothing of its own."""

    @property
    def _llm_type(self) -> str:
        return "extractive"

    def _generate(self, messages: list[BaseMessage], stop: list[str] | None = None,
                  run_manager: Any = None, **kwargs: Any) -> ChatResult:
        prompt = str(messages[-1].content)
        lines = []
        for line in prompt.split("\n"):
            match = QUOTE_LINE.match(line)
            if match:
                lines.append(f"{match['who']}: “{match['quote']}” {match['markers']}")
        body = "\n".join(lines) if lines else "The articles do not say."
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=body))])


def build_chat_model(spec: str) -> BaseChatModel:
    """'extractive' (default) or 'provider:model' for LangChain's init_chat_model (needs `langchain` + provider)."""
    if spec == "extractive":
        return ExtractiveChatModel()
    if ":" not in spec:
        raise InvalidInputError(f"RAG_LLM={spec!r}: use 'extractive' or 'provider:model' (e.g. 'ollama:qwen2.5')")
    try:
        from langchain.chat_models import init_chat_model  # optional dependency
    except ImportError as exc:
        raise InvalidInputError(f"RAG_LLM={spec!r} needs the optional packages `langchain` and the provider's "
                                "integration; install them or use RAG_LLM=extractive") from exc
    return init_chat_model(spec, temperature=0)


def answer_chain(model: BaseChatModel) -> Runnable:
    """The one LCEL chain: prompt | model | text."""
    return PROMPT | model | StrOutputParser()
