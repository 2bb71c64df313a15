"""The command line: `gongbao ingest | list | show | search | stats | check | export | serve` (`main`) and the
commands over the policy graph, refs, cited-by, status, duties, figures (`graph`)."""
