"""Generator backends behind LangChain's chat-model interface, chosen by one setting (RAG_LLM).

The offline default, ExtractiveChatModel, needs no model server: it writes the answer body as the prompt's quote
lines, verbatim, one per line, keeping the [n] markers. An LLM backend gets the very same
prompt; retrieval, conflict detection and citation checking do not change with the backend.
"""

from __future__ import annotations

from typing import Any

from rag.errors import InvalidInputError
from rag.imports import langsmith_types_deferred

with langsmith_types_deferred():  # see rag.imports
    from langchain_core.language_models.chat_models import BaseChatModel
    from langchain_core.messages import AIMessage, BaseMessage
    from langchain_core.output_parsers import StrOutputParser
    from langchain_core.outputs import ChatGeneration, ChatResult
    from langchain_core.prompts import ChatPromptTemplate
    from langchain_core.runnables import Runnable

SYSTEM = """You lay out the evidence for an answer about a set of news articles.
The answer's first sentence is already written from the sources and checked; do not repeat or change it.
Rules:
- Write every quote line below exactly as given, one per line: who, the quote in curly quotation marks, its marker.
- You may change the order of the lines so the most useful come first; never drop, merge, shorten or reword one.
- Write nothing else. The text is checked character by character and refused if anything else appears."""

HUMAN = """Question: {question}

First sentence of the answer:
{lead}

Quote lines:
{quotes}"""

PROMPT = ChatPromptTemplate.from_messages([("system", SYSTEM), ("human", HUMAN)])
QUOTES_HEADING = "\nQuote lines:\n"


class ExtractiveChatModel(BaseChatModel):
    """Writes the prompt's quote lines as they are, in the prompt's order; adds nothing of its own."""

    @property
    def _llm_type(self) -> str:
        return "extractive"

    def _generate(self, messages: list[BaseMessage], stop: list[str] | None = None,
                  run_manager: Any = None, **kwargs: Any) -> ChatResult:
        prompt = str(messages[-1].content)
        _, found, quotes = prompt.partition(QUOTES_HEADING)
        body = quotes.strip("\n") if found else ""
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
