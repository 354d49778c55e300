"""committee-assistant: cited answers over the records of the 1540 Committee.

The curated public API; the CLI and the TUI use nothing else.

    from assistant import Assistant
    a = Assistant.open()                 # builds the index on first use
    ans = a.ask("2019 年委员会收到了多少份新的援助请求？")
    conv = a.conversation(); conv.ask("那 2018 年呢？")
    passages = a.search("联络人", k=10)
"""

from assistant.answers import Answer, Citation, Timings
from assistant.api import Assistant
from assistant.conversations import Conversation, ConversationError, ConversationInfo, Turn
from assistant.drafting import Draft
from assistant.llm import LLMSettings
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
