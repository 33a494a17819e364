"""Review tools: read conversations from the tracker store, retention, deletion."""
