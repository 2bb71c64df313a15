"""Parsing: from the bytes of a file to documents and their provisions, with no storage.

`read` decodes a file into a `SourceText`; `clean` undoes what PDF extraction did to it (page headers, hard wraps,
fullwidth digits) and builds paragraphs that keep their source lines; `split` finds where each document of an issue
begins and ends; `meta` reads title, type, issuer, 文号 and dates; `structure` reads 编/章/节/条/款/项/目;
`doctypes` and `numerals` are the shared vocabularies (document types, Chinese numerals and dates)."""
