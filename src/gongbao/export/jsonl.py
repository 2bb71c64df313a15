"""The JSONL export contract (DESIGN.md §3): one JSON object per document, per line, in file and document order."""

from __future__ import annotations

import json
from typing import TextIO

from gongbao.link.level import legal_level
from gongbao.store import Corpus


def write_jsonl(store: Corpus, out: TextIO) -> int:
    n = 0
    for doc in store.iter_documents():
        data = doc.to_dict()
        status = store.status_of(doc.id)  # as of today: the export says what is in force on the day it is made
        data["status"] = status.to_dict() if status else None
        data["level"] = legal_level(doc.issuer, doc.doc_type, doc.title, doc.inner_title)  # 效力级别, None: no force
        out.write(json.dumps(data, ensure_ascii=False))
        out.write("\n")
        n += 1
    return n
