"""The one grammar of every JSON answer (README "HTTP API" and /docs say the same):

- **Lists page one way.**  Parameters `limit` (how many, at most 100) and `offset` (how many to skip, from 0); the
  answer holds the items under the resource's plural name (`documents`, `hits`, `duties`, `sources` …) and `total`,
  `limit`, `offset`, `next` and `previous` (the URL of the neighbouring page, or null).  `page` and `per_page`, the
  older parameters, are still read (deprecated) and turned into `offset` and `limit`.
- **Every field is present**: null when unknown, never dropped (`complete` fills what a dictionary left out, from
  the answer's model in `schemas`).
- **A status is always the same object**: `code` (in_force, not_yet_in_force, amended, partly_repealed, repealed,
  expired, unknown, or none for texts without force of their own), `label` (现行有效 …), `reason` (in Chinese),
  `reason_code`, `as_of`, `since`, `until`, `by`, `by_url`.
- **Errors are one shape**: `{"error": {"code", "message", "status", "details"}}`, a stable `code` from
  `ERROR_CODES`, the message in Chinese.  A reversed range (year=2023-2021, lines=30-20) is a 400 `invalid_range`.
"""

from __future__ import annotations

import math
from datetime import date
from typing import Any, get_args, get_origin
from urllib.parse import urlencode

from pydantic import BaseModel

from gongbao.link.status import Status

# stable error codes → HTTP status
ERROR_CODES = {
    "invalid_range": 400,
    "not_found": 404,
    "method_not_allowed": 405,
    "invalid_parameter": 422,
    "internal_error": 500,
}
MAX_LIMIT = 100
MAX_OFFSET = 100_000

# the national law database's words (link/status.py) → codes for programs
STATUS_CODES = {
    "尚未施行": "not_yet_in_force",
    "现行有效": "in_force",
    "已被修改": "amended",
    "部分失效": "partly_repealed",
    "已废止": "repealed",
    "失效": "expired",
    "unknown": "unknown",
}
NO_FORCE = "none"
STATUS_LABELS = {**{word: word for word in STATUS_CODES}, "unknown": "效力未知", NO_FORCE: "无独立效力"}
_REASON_CODES = {
    "尚未施行": "takes_effect_later",
    "现行有效": "in_force_since",
    "已被修改": "amended_by",
    "部分失效": "partly_repealed_by",
    "已废止": "repealed_by",
    "失效": "validity_ended",
    "unknown": "no_date_stated",
}


class RangeError(ValueError):
    """A range whose end comes before its start: the parameter and the message for a person."""

    def __init__(self, param: str, message: str):
        super().__init__(message)
        self.param = param
        self.message = message


# ----------------------------------------------------------------------------------------------- status


def status_object(st: Status | None, as_of: str | None = None, reason_zh: str | None = None) -> dict[str, Any]:
    """A status as the API shows it everywhere (None: a text without force of its own)."""
    if st is None:
        return {
            "code": NO_FORCE,
            "label": STATUS_LABELS[NO_FORCE],
            "reason": "报告、说明、名单等文件本身没有法律效力",
            "reason_code": "no_force_of_its_own",
            "as_of": as_of or date.today().isoformat(),
            "since": None,
            "until": None,
            "by": None,
            "by_url": None,
        }
    until = st.reason.rsplit(" ", 1)[-1] if "valid until" in st.reason else None
    if st.status == "失效":
        until = st.since
    return {
        "code": STATUS_CODES.get(st.status, "unknown"),
        "label": STATUS_LABELS.get(st.status, st.status),
        "reason": reason_zh or status_reason_zh(st),
        "reason_code": _REASON_CODES.get(st.status, "unknown"),
        "as_of": st.as_of,
        "since": st.since,
        "until": until,
        "by": st.by,
        "by_url": None,
    }


def status_from_words(word: str | None, reason_zh: str | None, as_of: str | None = None) -> dict[str, Any]:
    """The status object from a search hit's two words (status, reason in Chinese)."""
    if word is None:
        return status_object(None, as_of)
    day = as_of or date.today().isoformat()
    return status_object(Status(word, day, ""), day, reason_zh) | {"since": None, "until": None}


def status_reason_zh(st: Status) -> str:
    """Why, in Chinese (the reason of link/status.py is in English words with dates)."""
    since = st.since or ""
    if st.status == "尚未施行":
        return f"将于 {st.reason.rsplit(' ', 1)[-1]} 施行"
    if st.status == "已被修改":
        return f"{since} 起已被修改"
    if st.status == "部分失效":
        return f"{since} 起部分条文被废止"
    if st.status == "已废止":
        return f"{since} 起被废止"
    if st.status == "失效":
        return f"有效期至 {since} 届满"
    if st.status == "unknown":
        return "未载明施行日期，也没有其他文件说明"
    until = st.reason.rsplit(" ", 1)[-1] if "valid until" in st.reason else None
    return f"自 {since} 起施行" + (f"，有效期至 {until}" if until else "")


def status_filter(value: str | None) -> str | None:
    """A `status=` filter given as a code (in_force) or as the word (现行有效): the word the store knows."""
    if not value:
        return None
    words = {code: word for word, code in STATUS_CODES.items()}
    return words.get(value, value)


# ----------------------------------------------------------------------------------------------- paging


def paging_fields(path: str, params: dict[str, Any], total: int, limit: int, offset: int) -> dict[str, Any]:
    """`total`, `limit`, `offset`, `next`, `previous` of a list answer; the links keep the other parameters."""
    kept = {k: v for k, v in params.items() if k not in ("limit", "offset", "page", "per_page") and v is not None}

    def link(start: int) -> str:
        return path + "?" + urlencode({**kept, "limit": limit, "offset": start})

    return {
        "total": total,
        "limit": limit,
        "offset": offset,
        "next": link(offset + limit) if offset + limit < total else None,
        "previous": link(max(0, offset - limit)) if offset > 0 else None,
    }


def page_numbers(data: dict[str, Any]) -> tuple[int, int]:
    """(page, pages) of a list answer, for the pager of an HTML page."""
    limit = max(1, data["limit"])
    return data["offset"] // limit + 1, math.ceil(data["total"] / limit)


def resolve_paging(
    limit: int | None, offset: int | None, page: int | None, per_page: int | None, default: int
) -> tuple[int, int]:
    """(limit, offset) from the parameters given: `limit`/`offset`, or the deprecated `per_page`/`page`."""
    size = limit if limit is not None else (per_page if per_page is not None else default)
    start = offset if offset is not None else ((page - 1) * size if page else 0)
    return size, start


def years_range(text: str | None) -> tuple[int | None, int | None]:
    """`2022` or `2021-2023` → (first, last); a reversed range raises RangeError."""
    if not text:
        return None, None
    first, _, last = text.partition("-")
    a, b = int(first), int(last or first)
    if b < a:
        raise RangeError("year", f"年份范围 {text} 颠倒了：起始年份 {a} 晚于结束年份 {b}，应写作 {b}-{a}")
    return a, b


# ---------------------------------------------------------------------------------------------- nulls


def complete(model: Any, data: Any) -> Any:
    """`data` with every field `model` declares present (null where the dictionary left one out), recursively
    through nested models and lists of them.  The dictionaries are changed in place and returned."""
    origin = get_origin(model)
    if origin in (list, tuple):
        (inner, *_rest) = get_args(model) or (Any,)
        if isinstance(data, list):
            for item in data:
                complete(inner, item)
        return data
    if origin is not None:  # X | None, dict[...]
        for arg in get_args(model):
            if isinstance(arg, type) and issubclass(arg, BaseModel):
                return complete(arg, data)
            if get_origin(arg) in (list, tuple):
                return complete(arg, data)
        return data
    if isinstance(model, type) and issubclass(model, BaseModel) and isinstance(data, dict):
        for name, info in model.model_fields.items():
            key = info.alias or name
            if key not in data:
                data[key] = None
            elif data[key] is not None:
                complete(info.annotation, data[key])
    return data
