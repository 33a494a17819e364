"""`python -m bench.nlu.compare`: candidate NLU pipelines on Landsby's held-out set."""
