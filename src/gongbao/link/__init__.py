"""Linking: what the documents of a corpus say about each other and about the world, computed from parsed documents.

`refs` finds citations (《X》第N条, 文号) and relations (废止, 修改, 依据); `status` decides whether a text is in force
on a day; `duties` finds who must do what by when; `agencies` names the bodies and their regions; `figures` reads
plan targets and other quantities. Nothing here reads or writes the database."""
