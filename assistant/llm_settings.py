"""Which chat model answers when the LLM backend is chosen: the settings alone.

Apart from `assistant.llm` so that reading the settings does not import the LLM backend
(its prompts and templates: 50-70 ms of every start, which only an LLM answer needs).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, model_validator

from index.secrets import read_key_file

MAX_TOKENS = 800  # an answer with its quotes, with room; see LLMSettings.max_tokens


# Model families trained without a system role: their chat templates fold the system text
# into the first user turn (Gemma's own template) or drop it (llama-cpp-python's "gemma").
NO_SYSTEM_ROLE = re.compile(r"gemma", re.IGNORECASE)


class LLMSettings(BaseModel):
    """Which chat model answers when the LLM backend is chosen, and how it is reached."""

    model_config = ConfigDict(extra="forbid")

    model: str = Field(
        default="ollama:qwen2.5:7b", pattern=r"^[A-Za-z][\w-]*:\S+$",
        description="'provider:model' as LangChain's init_chat_model reads it, e.g. "
                    "'openai:gpt-4o-mini' or 'ollama:qwen2.5:7b'. Use 'openai:<name>' with "
                    "`base_url` for OpenAI-compatible servers (vLLM, llama.cpp, LM Studio).")
    base_url: str | None = Field(
        default=None,
        description="Endpoint of the model server, e.g. 'http://127.0.0.1:8000/v1' for vLLM "
                    "or 'http://127.0.0.1:11434' for Ollama; None: the provider's default.")
    api_key: SecretStr | None = Field(
        default=None,
        description="API key, from the environment only "
                    "(COMMITTEE_ASSISTANT_ANSWER__LLM__API_KEY); None: `api_key_file`, else "
                    "the provider's usual variable (OPENAI_API_KEY ...). Local servers need none.")
    api_key_file: Path | None = Field(
        default=None, description="File holding the API key, readable by its owner only "
                                  "(chmod 600).")
    timeout_s: float = Field(
        default=60.0, gt=0,
        description="Seconds one model reply may take, from the request to its last token; "
                    "then the request is cancelled (the server stops) and the extractive "
                    "answer is shown. Never retried.")
    max_tokens: int = Field(
        default=MAX_TOKENS, gt=0,
        description="Most tokens the model may generate for one answer (sent as max_tokens, "
                    "Ollama's num_predict ...). An answer with three quoted citations takes "
                    "about 300-500; a model that runs on stops here instead of at the timeout.")
    output: Literal["auto", "json_schema", "json_object", "prompt"] = Field(
        default="auto",
        description="How the reply is kept to the answer's JSON: json_schema, the server "
                    "constrains it (OpenAI-compatible response_format of type json_schema, "
                    "Ollama's format); json_object, response_format {type: json_object, "
                    "schema} as llama-cpp-python's server reads it; prompt, the prompt alone "
                    "asks for it; auto, json_schema then json_object for OpenAI-compatible "
                    "servers (whichever the server accepts) and Ollama, prompt elsewhere.")
    system_prompt: Literal["auto", "system", "user_turn"] = Field(
        default="auto",
        description="How the instructions reach the model: system, as a system message; "
                    "user_turn, at the head of the first user message, for models whose chat "
                    "format has no system role (Gemma: llama.cpp's 'gemma' format drops a "
                    "system message, so the model would never see the instructions); auto, "
                    "user_turn when the model's name says Gemma, else system.")
    temperature: float = Field(default=0.0, ge=0, le=2,
                               description="Sampling temperature; 0 keeps answers repeatable.")
    max_retries: int = Field(
        default=1, ge=0,
        description="Retries after a refused connection or an overloaded server (HTTP 429/5xx) "
                    "before any of the reply arrived; a timeout is never retried.")

    @model_validator(mode="after")
    def _key_from_file(self) -> LLMSettings:
        if self.api_key is None and self.api_key_file is not None:
            self.api_key = SecretStr(read_key_file(self.api_key_file))
        return self

    @property
    def provider(self) -> str:
        return self.model.split(":", 1)[0]

    @property
    def system_in_user_turn(self) -> bool:
        """Whether the instructions go in the first user turn (see `system_prompt`)."""
        if self.system_prompt == "auto":
            return NO_SYSTEM_ROLE.search(self.model.split(":", 1)[1]) is not None
        return self.system_prompt == "user_turn"
