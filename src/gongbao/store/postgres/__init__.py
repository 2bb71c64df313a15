"""The shared PostgreSQL backend (psycopg 3 with a connection pool): several writers, many readers, one server.
`store.py` the corpus, `schema.py` its migrations, `links.py` resolution with several writers, `grams.py` the
character index and FTS5's BM25."""
