"""committee-assistant: cited answers over the records of the 1540 Committee.

The curated public API; the CLI and the TUI use nothing else.
"""

from assistant.api import CommitteeAssistant
from assistant.settings import IndexSettings, Settings
from index.errors import (
    AssistantError,
    BackendError,
    IndexStoreError,
    IngestError,
    RecordQueryError,
)
from index.ingest import IngestedDocument, IngestFailure, IngestReport
from index.models import Block, BlockKind, Document, DocumentMeta, DocumentType, TableRow

__all__ = [
    "AssistantError",
    "BackendError",
    "Block",
    "BlockKind",
    "CommitteeAssistant",
    "Document",
    "DocumentMeta",
    "DocumentType",
    "IndexSettings",
    "IndexStoreError",
    "IngestError",
    "IngestFailure",
    "IngestReport",
    "IngestedDocument",
    "RecordQueryError",
    "Settings",
    "TableRow",
]
