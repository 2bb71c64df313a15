"""Search: analyse a question, retrieve candidate units from the corpus, rank them and present the hits.

`from gongbao.search import Filters, search` is the public entry point (documented in the README)."""

from gongbao.search.engine import Analysis, Filters, Hit, SearchResult, analyze, search

__all__ = ["Analysis", "Filters", "Hit", "SearchResult", "analyze", "search"]
