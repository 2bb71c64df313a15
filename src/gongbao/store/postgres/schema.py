"""The PostgreSQL schema as numbered migrations, applied in order and recorded in `schema_migrations`.

A shared server database is not rebuilt from its raw sources the way the embedded file is: each change of the
schema is a new migration appended to MIGRATIONS (never an edit of an applied one), run once, under a lock, by the
first writer that opens the database.  Readers refuse a database whose migrations are behind or ahead of theirs.

Text columns that lists are sorted by (file names, agency names) use the "C" collation, so that the order is the
code-point order SQLite uses whatever the server's locale.  Flags exported as 0/1 (refs.draft, refs.nested) stay
integers for the same reason: the export of the two backends is byte-identical.
"""

from __future__ import annotations

MIGRATION_LOCK = 7_220_913  # pg_advisory_xact_lock key: one migrating writer at a time

MIGRATIONS: tuple[str, ...] = (
    # 1: sources, documents, provisions, the link stage's tables, duties, figures, the character-gram index
    """
    CREATE TABLE sources (
        file text COLLATE "C" PRIMARY KEY,
        path text NOT NULL,
        sha256 text NOT NULL,
        encoding text NOT NULL,
        line_count integer NOT NULL,
        raw text NOT NULL,
        ingested_at text NOT NULL,
        layout text,  -- JSON page map of a paged source (parse/pages.py); NULL for text
        unit_count integer NOT NULL DEFAULT 0,   -- search units of the file's documents
        token_count bigint NOT NULL DEFAULT 0,   -- index tokens in them (BM25's average length)
        resolved boolean NOT NULL DEFAULT false  -- its references resolved after its commit
    );
    CREATE TABLE regions (
        file text COLLATE "C" NOT NULL REFERENCES sources(file) ON DELETE CASCADE,
        kind text NOT NULL,
        start_line integer NOT NULL,
        end_line integer NOT NULL
    );
    CREATE INDEX regions_file ON regions(file, start_line);
    CREATE TABLE documents (
        rid bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
        id text PRIMARY KEY,
        file text COLLATE "C" NOT NULL REFERENCES sources(file) ON DELETE CASCADE,
        ordinal integer NOT NULL,
        title text NOT NULL,
        inner_title text,
        doc_type text,
        issuer text,
        doc_number text,
        dates text NOT NULL,  -- JSON as written (key order kept, unlike jsonb)
        year integer,
        sort_date text,
        start_line integer NOT NULL,
        end_line integer NOT NULL,
        has_articles boolean NOT NULL,
        warnings text NOT NULL DEFAULT '[]'  -- JSON: what the parser could not read as expected
    );
    CREATE INDEX documents_file ON documents(file, ordinal);
    CREATE INDEX documents_type ON documents(doc_type);
    CREATE INDEX documents_year ON documents(year);
    CREATE INDEX documents_date ON documents(sort_date);
    CREATE TABLE provisions (
        document_id text NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        seq integer NOT NULL,
        id text NOT NULL,
        kind text NOT NULL,
        number integer,
        label text NOT NULL,
        heading text,
        text text NOT NULL,
        parent text,
        start_line integer NOT NULL,
        end_line integer NOT NULL,
        PRIMARY KEY (document_id, id)
    );
    CREATE INDEX provisions_order ON provisions(document_id, seq);
    CREATE INDEX provisions_lines ON provisions(document_id, start_line);
    CREATE TABLE document_keys (
        key text NOT NULL,
        document_id text NOT NULL REFERENCES documents(id) ON DELETE CASCADE
    );
    CREATE INDEX document_keys_key ON document_keys(key);
    CREATE INDEX document_keys_document ON document_keys(document_id);
    CREATE TABLE refs (
        rid bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        document_id text NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        provision_id text,
        kind text NOT NULL,
        text text NOT NULL,
        title text,
        key text,
        target_id text,
        target_provision text,
        article integer,
        article_sub integer,
        paragraph integer,
        item integer,
        article_to integer,
        draft integer NOT NULL DEFAULT 0,
        nested integer NOT NULL DEFAULT 0,
        start_line integer NOT NULL,
        end_line integer NOT NULL,
        "offset" integer NOT NULL
    );
    CREATE INDEX refs_document ON refs(document_id);
    CREATE INDEX refs_target ON refs(target_id);
    CREATE INDEX refs_key ON refs(key);
    CREATE TABLE relations (
        rid bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        document_id text NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        type text NOT NULL,
        target_id text,
        target_title text,
        target_key text,
        target_number text,
        evidence text NOT NULL,
        start_line integer NOT NULL,
        end_line integer NOT NULL
    );
    CREATE INDEX relations_source ON relations(document_id);
    CREATE INDEX relations_target ON relations(target_id);
    CREATE INDEX relations_key ON relations(target_key);
    CREATE TABLE duties (
        rid bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        document_id text NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        provision_id text,
        agency text COLLATE "C" NOT NULL,
        agency_key text NOT NULL,
        as_printed text NOT NULL,
        level text,
        role text NOT NULL,
        task text NOT NULL,
        deadline text,
        deadline_text text,
        start_line integer NOT NULL,
        end_line integer NOT NULL
    );
    CREATE INDEX duties_document ON duties(document_id);
    CREATE INDEX duties_agency ON duties(agency);
    CREATE INDEX duties_agency_key ON duties(agency_key);
    CREATE TABLE figures (
        rid bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        document_id text NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        provision_id text,
        subject text NOT NULL,
        value double precision,
        unit text,
        change text,
        year integer,
        baseline_year integer,
        text text NOT NULL,
        suspect text,
        start_line integer NOT NULL,
        end_line integer NOT NULL
    );
    CREATE INDEX figures_document ON figures(document_id);
    CREATE TABLE search_units (
        rid bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        document_id text NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        provision_id text NOT NULL,
        kind text NOT NULL,
        title text NOT NULL,
        heading text NOT NULL,
        body text NOT NULL,
        start_line integer NOT NULL,
        end_line integer NOT NULL,
        heading_tokens text NOT NULL,  -- the index tokens (grams.tokens), for BM25 without re-tokenising
        body_tokens text NOT NULL,
        grams tsvector NOT NULL  -- one lexeme per character, positions kept: a substring is a phrase query
    );
    CREATE INDEX search_units_document ON search_units(document_id);
    CREATE INDEX search_units_grams ON search_units USING gin (grams);
    CREATE TABLE char_df (  -- per file: how many of its units contain each character (the vocabulary of FTS5)
        file text COLLATE "C" NOT NULL REFERENCES sources(file) ON DELETE CASCADE,
        term text NOT NULL,
        df integer NOT NULL,
        PRIMARY KEY (term, file)
    );
    CREATE INDEX char_df_file ON char_df(file);
    CREATE SEQUENCE generation;  -- moved after every committed ingest: Corpus.version()
    """,
    # 2: a character's count summed from the index alone (index-only scan): on a 1 GB corpus the per-file rows of a
    # question's characters (~150,000) were read from all over the table, ~100 ms per search
    """
    CREATE INDEX char_df_counts ON char_df (term) INCLUDE (df);
    """,
)
