"""The curated knowledge base: YAML articles in git, loaded into SQL."""
