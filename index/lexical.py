"""BM25 over passages, with a tokeniser that keeps the committee's own references whole.

Delegates ask with document symbols (``S/2020/347``), resolution numbers (``1540(2004)``),
dates and counts (``2019年``, ``12份``). jieba cuts all of these into pieces, so a regex
pre-tokeniser takes them out first and emits each one whole *and* in parts: the whole token
rewards an exact reference, the parts still match a looser question ("1540号决议").
Only the Chinese left between them goes to jieba (search mode, so that long dictionary words
also yield their shorter dictionary words). Dates get canonical ISO tokens, so that
``2022年4月22日``, ``2022 年 4 月 22 日`` and ``2022-04-22`` all index alike.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shutil
import sys
import tempfile
import threading
import unicodedata
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from index.errors import IndexStoreError
from index.text import MONTHS_EN, month_number, normalize_spacing

if TYPE_CHECKING:
    import bm25s

    from index.bm25_reader import SavedBM25

log = logging.getLogger(__name__)

TOKENIZER_VERSION = 2  # bump whenever tokenize() changes what it emits
FORMAT_VERSION = 1  # bump whenever the saved folder layout changes
DEFAULT_USER_DICT = Path(__file__).resolve().parent.parent / "data" / "jieba_userdict.txt"

# Kept small on purpose: BM25's idf already discounts frequent words; these are the ones
# frequent enough to add nothing but noise and cost.
_STOP_ZH = "的 了 和 与 及 或 在 是 为 对 于 其 之 并 等 该 这 那 也 而 将 以 由 把 被 所 就 都"
_STOP_EN = "the of a an and or to in on for by with is are was were be been as at from that this it"
STOP_WORDS = frozenset(_STOP_ZH.split() + _STOP_EN.split())

# Words that count things in the records ("12份", "184个", "第5段", "56%").
_MEASURE = "份个名项次段条届场家类种篇封位人年月日天周期批件组款章节页"
_MONTH = "|".join(m.lower() for m in MONTHS_EN)  # the text is lowercased before matching
_SEG = r"[a-z0-9]+(?:\.[a-z0-9]+)*(?:\(\d{4}\))?"
_TOKEN_RE = re.compile(
    # UN document symbols: S/2020/347, S/RES/1540(2004), S/AC.44/2021/3, A/76/123/Add.1
    rf"(?P<symbol>(?<![a-z0-9.])(?:s|a|e|st)/(?=[a-z0-9./()]*\d){_SEG}(?:/{_SEG})+)"
    r"|(?P<resolution>(?<!\d)(?P<res_no>\d{3,4})\(\d{4}\))"
    r"|(?P<date>(?<!\d)(?P<y>\d{4})年(?:(?P<m>\d{1,2})月(?:(?P<d>\d{1,2})日)?)?)"
    r"|(?P<iso>(?<![\d-])(?P<iy>\d{4})-(?P<im>\d{1,2})-(?P<id>\d{1,2})(?![\d-]))"
    # An English record's dates: "31 january 2027", "january 31, 2027", "january 2027".
    rf"|(?P<en_dmy>(?<!\d)(?P<ed>\d{{1,2}}) (?P<em>{_MONTH}),? (?P<ey>\d{{4}})(?!\d))"
    rf"|(?P<en_mdy>(?P<fm>{_MONTH}) (?P<fd>\d{{1,2}}),? (?P<fy>\d{{4}})(?!\d))"
    rf"|(?P<en_my>(?P<gm>{_MONTH}),? (?P<gy>\d{{4}})(?!\d))"
    r"|(?P<percent>(?P<pct>\d+(?:\.\d+)?) ?%)"
    rf"|(?P<figure>(?P<num>\d{{1,3}}(?:,\d{{3}})+(?!\d)|\d+(?:\.\d+)?)(?P<unit>[{_MEASURE}])?)"
    r"|(?P<word>[a-z\u00c0-\u024f]+(?:'[a-z]+)?)"
)
_WHITESPACE = re.compile(r"\s+")


def _plural(word: str) -> str:
    """Strip a simple English plural so 'reports' meets 'report'; leaves 'process', 'status'."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _number(text: str) -> str:
    return text.replace(",", "")


def _date_tokens(y: str, m: str | None, d: str | None) -> list[str]:
    """Canonical tokens at each precision, plus the parts a bare '4月' or '22日' would yield."""
    out = [f"{y}年", y]
    if m:
        out += [f"{y}-{int(m):02d}", f"{int(m)}月", str(int(m))]
        if d:
            out += [f"{y}-{int(m):02d}-{int(d):02d}", f"{int(d)}日", str(int(d))]
    return out


def _english_date(y: str, month: str, d: str | None) -> list[str]:
    """An English date's tokens are a Chinese date's: "31 January 2027" meets 2027年1月31日."""
    return _date_tokens(y, str(month_number(month)), d)


def _match_tokens(match: re.Match[str]) -> list[str]:
    """The whole token and its parts for one pre-tokeniser match."""
    kind = match.lastgroup
    text = match.group(0)
    if kind == "symbol":
        out = [text]
        for seg in text.split("/")[1:]:
            res = re.fullmatch(r"(\d{3,4})\(\d{4}\)", seg)
            if res:
                out += [seg, res.group(1)]
            elif len(seg) > 1 or seg.isdigit():
                out.append(seg)
        return out
    if kind == "resolution":
        # The year alone is left out: "2016年" should not hit every mention of 2325(2016).
        return [text, match.group("res_no")]
    if kind == "date":
        return _date_tokens(match.group("y"), match.group("m"), match.group("d"))
    if kind == "iso":
        return _date_tokens(match.group("iy"), match.group("im"), match.group("id"))
    if kind == "en_dmy":
        return [*_english_date(match.group("ey"), match.group("em"), match.group("ed")),
                match.group("em")]
    if kind == "en_mdy":
        return [*_english_date(match.group("fy"), match.group("fm"), match.group("fd")),
                match.group("fm")]
    if kind == "en_my":
        return [*_english_date(match.group("gy"), match.group("gm"), None), match.group("gm")]
    if kind == "percent":
        return [f"{match.group('pct')}%", match.group("pct")]
    if kind == "figure":
        num, unit = _number(match.group("num")), match.group("unit")
        return [num + unit, num] if unit else [num]
    return [_plural(text)]


def normalize_for_search(text: str) -> str:
    """NFKC-fold (full-width → half-width), lowercase, and close the PDF spacing around
    numbers, so '２０１９ 年', '2019 年' and '2019年' become one string."""
    text = unicodedata.normalize("NFKC", text).lower()
    return normalize_spacing(_WHITESPACE.sub(" ", text))


def _file_digest(path: Path | None) -> str:
    if path is None or not path.is_file():
        return "none"
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def _import_jieba() -> Any:
    """jieba, without the setuptools `pkg_resources` it imports only to open its own data
    files (0.1 s of a one-shot `ask`; without it jieba opens them by path)."""
    if "jieba" in sys.modules or "pkg_resources" in sys.modules:
        import jieba

        return jieba
    sys.modules["pkg_resources"] = None  # type: ignore[assignment]  # import fails: fallback
    try:
        import jieba
    finally:
        del sys.modules["pkg_resources"]
    return jieba


class Tokenizer:
    """One configured jieba instance: its own dictionary state, so a user dictionary never
    leaks into other users of the global ``jieba.dt``. Its dictionary is read on the first
    cut, a word at a time (`index.jieba_dict`), so that making one costs nothing."""

    def __init__(self, user_dict: Path | None = DEFAULT_USER_DICT,
                 cache_dir: Path | None = None, stop_words: bool = True) -> None:
        jieba = _import_jieba()  # its module only: the dictionary is read on the first cut
        jieba.setLogLevel(logging.WARNING)
        self._cache = cache_dir or Path(tempfile.gettempdir()) / "committee-assistant-jieba"
        self._jieba = jieba.Tokenizer()
        self._ready = False
        self._lock = threading.Lock()
        self.user_dict = user_dict if user_dict is not None and user_dict.is_file() else None
        self.stop_words = STOP_WORDS if stop_words else frozenset()
        self.id = (f"lexical-v{TOKENIZER_VERSION}/jieba-{jieba.__version__}-search"
                   f"/dict-{_file_digest(self.user_dict)}/stop-{int(stop_words)}")

    def _segmenter(self) -> Any:
        """jieba with its dictionary (from the cache folder's table) and the user's words."""
        if not self._ready:
            with self._lock:
                if not self._ready:
                    from index.jieba_dict import open_table

                    self._cache.mkdir(parents=True, exist_ok=True)
                    table = open_table(self._jieba, self._cache)
                    self._jieba.FREQ, self._jieba.total = table, table.total
                    self._jieba.initialized = True
                    if self.user_dict is not None:
                        self._jieba.load_userdict(str(self.user_dict))
                    self._ready = True
        return self._jieba

    def __call__(self, text: str) -> list[str]:
        norm = normalize_for_search(text)
        out: list[str] = []
        pos = 0
        for match in _TOKEN_RE.finditer(norm):
            if match.start() > pos:
                self._cut(norm[pos:match.start()], out)
            out.extend(t for t in _match_tokens(match) if t not in self.stop_words)
            pos = match.end()
        if pos < len(norm):
            self._cut(norm[pos:], out)
        return out

    def _cut(self, gap: str, out: list[str]) -> None:
        """jieba on what the pre-tokeniser left: Chinese, punctuation, other scripts."""
        if not any(ch.isalnum() for ch in gap):
            return
        for tok in self._segmenter().cut_for_search(gap):
            tok = tok.strip()
            if tok and tok not in self.stop_words and any(ch.isalnum() for ch in tok):
                out.append(tok)


_TOKENIZERS: dict[tuple[object, ...], Tokenizer] = {}
_TOKENIZERS_LOCK = threading.Lock()


def get_tokenizer(user_dict: Path | None = DEFAULT_USER_DICT, cache_dir: Path | None = None,
                  stop_words: bool = True) -> Tokenizer:
    """A shared tokenizer per configuration; an edited user dictionary gives a new one.
    `cache_dir` only says where the dictionary table is kept (the first caller's is used):
    it changes no token."""
    stamp: tuple[int, int] | None = None
    if user_dict is not None and user_dict.is_file():
        st = user_dict.stat()
        stamp = (st.st_mtime_ns, st.st_size)
    key = (user_dict and user_dict.resolve(), stamp, stop_words)
    with _TOKENIZERS_LOCK:
        if key not in _TOKENIZERS:
            _TOKENIZERS[key] = Tokenizer(user_dict, cache_dir, stop_words)
        return _TOKENIZERS[key]


def tokenize(text: str, user_dict: Path | None = DEFAULT_USER_DICT) -> list[str]:
    """Search tokens of ``text`` (see the module docstring); the committee user dictionary
    is loaded when the file exists."""
    return get_tokenizer(user_dict)(text)


class LexicalSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    method: Literal["lucene", "bm25+"] = Field(
        "lucene", description="BM25 variant; bm25+ gives long passages a floor per term.")
    k1: float = Field(1.2, gt=0, description="Term-frequency saturation: higher lets repeats "
                                             "of a term count for longer.")
    b: float = Field(0.75, ge=0, le=1, description="Length normalisation: 0 ignores passage "
                                                   "length, 1 normalises fully.")
    delta: float = Field(0.5, ge=0, description="Per-term floor of bm25+ (ignored by lucene).")
    user_dict: Path | None = Field(
        DEFAULT_USER_DICT, description="jieba user dictionary of committee terms; used when "
                                       "the file exists, None for none.")
    cache_dir: Path | None = Field(
        None, description="Where jieba caches its prefix dictionary; None: a folder under the "
                          "system temp dir.")
    stop_words: bool = Field(True, description="Drop a short list of function words.")


class LexicalIndex:
    """BM25 over passage ids; scores are computed directly from bm25s's sparse matrix so a
    search costs one sparse row sum and a partial sort, with no progress bars or copies."""

    def __init__(self, settings: LexicalSettings | None = None) -> None:
        self.settings = settings or LexicalSettings()
        self._tokenizer = get_tokenizer(self.settings.user_dict, self.settings.cache_dir,
                                        self.settings.stop_words)
        self._ids: list[str] = []
        self._pos: dict[str, int] = {}
        self._bm: bm25s.BM25 | SavedBM25 | None = None

    @property
    def tokenizer_id(self) -> str:
        """Names the tokenisation; an index is only valid with queries cut the same way."""
        return self._tokenizer.id

    def tokenize(self, text: str) -> list[str]:
        return self._tokenizer(text)

    def __len__(self) -> int:
        return len(self._ids)

    def vocabulary(self) -> set[str]:
        """Every token the indexed passages contain."""
        return {t for t in self._bm.vocab_dict if t} if self._bm is not None else set()

    def build(self, ids: list[str], texts: list[str]) -> None:
        """Index ``texts`` under ``ids`` (replacing any previous content)."""
        if len(ids) != len(texts):
            raise ValueError(f"{len(ids)} ids for {len(texts)} texts: pass one id per text.")
        if len(set(ids)) != len(ids):
            raise ValueError("Passage ids must be unique: the index maps each id to one row.")
        self._ids = list(ids)
        self._pos = {pid: i for i, pid in enumerate(self._ids)}
        if not ids:
            self._bm = None
            return
        import bm25s

        s = self.settings
        bm = bm25s.BM25(k1=s.k1, b=s.b, delta=s.delta, method=s.method)
        bm.index([self._tokenizer(t) for t in texts], show_progress=False)
        self._bm = bm

    def search(self, query: str, k: int = 10, allowed: set[str] | None = None,
               exclude: frozenset[str] = frozenset()) -> list[tuple[str, float]]:
        """Best ``k`` passages with a positive BM25 score, restricted to ``allowed`` ids when
        given (the ids passing a metadata filter); best first. Tokens in ``exclude`` are left
        out of the query."""
        import numpy as np

        bm = self._bm
        if bm is None or k <= 0:
            return []
        token_ids = list(dict.fromkeys(bm.get_tokens_ids(
            [t for t in self._tokenizer(query) if t not in exclude])))
        if not token_ids:
            return []
        scores = np.asarray(bm.get_scores_from_ids(token_ids), dtype=np.float64)
        # bm25+ adds a constant for every query term to every passage: a passage matching
        # nothing scores exactly that, so it is the threshold for "matched something".
        floor = 0.0
        if bm.nonoccurrence_array is not None:
            floor = float(bm.nonoccurrence_array[token_ids].sum())
        if allowed is not None:
            rows = [self._pos[pid] for pid in allowed if pid in self._pos]
            mask = np.zeros(len(self._ids), dtype=bool)
            mask[rows] = True
            scores = np.where(mask, scores, -np.inf)
        k = min(k, len(scores))
        top = np.argpartition(-scores, k - 1)[:k] if k < len(scores) else np.arange(k)
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(self._ids[i], float(scores[i])) for i in top if scores[i] > floor + 1e-9]

    def save(self, folder: Path) -> None:
        """Write the index to ``folder``: into a sibling temp folder first, then swapped in
        by rename, so an interrupted save leaves the previous index readable."""
        folder = Path(folder)
        folder.parent.mkdir(parents=True, exist_ok=True)
        tmp = folder.with_name(f".{folder.name}.tmp-{uuid.uuid4().hex[:8]}")
        old = folder.with_name(f".{folder.name}.old")
        try:
            tmp.mkdir()
            if self._bm is not None:
                save = getattr(self._bm, "save", None)  # a loaded `SavedBM25` has none
                if save is None:
                    raise ValueError("only a built index is saved; a loaded one is in place")
                save(tmp / "bm25", show_progress=False)
            meta = {"format": FORMAT_VERSION, "tokenizer": self.tokenizer_id,
                    "settings": self.settings.model_dump(mode="json"), "ids": self._ids}
            with open(tmp / "meta.json", "w", encoding="utf-8") as f:
                json.dump(meta, f, ensure_ascii=False)
                f.flush()
                os.fsync(f.fileno())
            shutil.rmtree(old, ignore_errors=True)
            if folder.exists():
                folder.rename(old)
            tmp.rename(folder)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        shutil.rmtree(old, ignore_errors=True)

    def load(self, folder: Path) -> LexicalIndex:
        """Read an index written by :meth:`save` into this object and return it. BM25
        parameters come from the saved index (they are baked into its scores)."""
        folder = Path(folder)
        old = folder.with_name(f".{folder.name}.old")
        if not (folder / "meta.json").is_file() and (old / "meta.json").is_file():
            folder = old  # a save was interrupted between its two renames
        try:
            meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise IndexStoreError(f"No readable BM25 index in {folder} ({exc}); "
                                  "rebuild the index.") from exc
        if meta.get("format") != FORMAT_VERSION:
            raise IndexStoreError(f"The BM25 index in {folder} has format {meta.get('format')}, "
                                  f"this version reads {FORMAT_VERSION}; rebuild the index.")
        saved = LexicalSettings.model_validate(meta["settings"])
        self.settings = self.settings.model_copy(
            update={"method": saved.method, "k1": saved.k1, "b": saved.b, "delta": saved.delta})
        if meta["tokenizer"] != self.tokenizer_id:
            log.warning("BM25 index in %s was built with tokenizer %s, queries now use %s; "
                        "rebuild the index for exact matching.", folder, meta["tokenizer"],
                        self.tokenizer_id)
        from index.bm25_reader import SavedBM25  # bm25s itself (and SciPy) only to build

        self._ids = list(meta["ids"])
        self._pos = {pid: i for i, pid in enumerate(self._ids)}
        self._bm = SavedBM25.load(folder / "bm25") if self._ids else None
        return self
