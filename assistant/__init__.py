"""committee-assistant: cited answers over the records of the 1540 Committee.

The curated public API; the CLI and the TUI use nothing else.

    from assistant import Assistant
    a = Assistant.open()                 # builds the index on first use
    ans = a.ask("2019 年委员会收到了多少份新的援助请求？")
    conv = a.conversation(); conv.ask("那 2018 年呢？")
    passages = a.search("联络人", k=10)
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from assistant.answers import Answer, Citation, Timings
    from assistant.api import Assistant
    from assistant.conversations import Conversation, ConversationError, ConversationInfo, Turn
    from assistant.drafting import Draft
    from assistant.llm_settings import LLMSettings
    from assistant.settings import AnswerSettings, IndexSettings, Settings, UISettings
    from index.errors import (
        AssistantError,
        BackendError,
        DraftError,
        IndexStoreError,
        IngestError,
        PromptError,
        QuestionError,
        RecordQueryError,
    )
    from index.ingest import IngestedDocument, IngestFailure, IngestReport
    from index.models import Block, BlockKind, Document, DocumentMeta, DocumentType, TableRow
    from index.passages import Passage
    from index.search_filter import SearchFilter

# Where each public name lives: imported on first use, so that `import assistant` (and a
# one-shot command) loads only what it touches (the drafting and LLM modules take ~0.5 s).
_HOMES = {
    "Answer": "assistant.answers",
    "AnswerSettings": "assistant.settings",
    "Assistant": "assistant.api",
    "AssistantError": "index.errors",
    "BackendError": "index.errors",
    "Block": "index.models",
    "BlockKind": "index.models",
    "Citation": "assistant.answers",
    "Conversation": "assistant.conversations",
    "ConversationError": "assistant.conversations",
    "ConversationInfo": "assistant.conversations",
    "Document": "index.models",
    "DocumentMeta": "index.models",
    "DocumentType": "index.models",
    "Draft": "assistant.drafting",
    "DraftError": "index.errors",
    "IndexSettings": "assistant.settings",
    "IndexStoreError": "index.errors",
    "IngestError": "index.errors",
    "IngestFailure": "index.ingest",
    "IngestReport": "index.ingest",
    "IngestedDocument": "index.ingest",
    "LLMSettings": "assistant.llm_settings",
    "Passage": "index.passages",
    "PromptError": "index.errors",
    "QuestionError": "index.errors",
    "RecordQueryError": "index.errors",
    "SearchFilter": "index.search_filter",
    "Settings": "assistant.settings",
    "TableRow": "index.models",
    "Timings": "assistant.answers",
    "Turn": "assistant.conversations",
    "UISettings": "assistant.settings",
}

__all__ = [
    "Answer",
    "AnswerSettings",
    "Assistant",
    "AssistantError",
    "BackendError",
    "Block",
    "BlockKind",
    "Citation",
    "Conversation",
    "ConversationError",
    "ConversationInfo",
    "Document",
    "DocumentMeta",
    "DocumentType",
    "Draft",
    "DraftError",
    "IndexSettings",
    "IndexStoreError",
    "IngestError",
    "IngestFailure",
    "IngestReport",
    "IngestedDocument",
    "LLMSettings",
    "Passage",
    "PromptError",
    "QuestionError",
    "RecordQueryError",
    "SearchFilter",
    "Settings",
    "TableRow",
    "Timings",
    "Turn",
    "UISettings",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'assistant' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value
