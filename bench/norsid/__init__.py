"""`python -m bench.norsid.run`: the chosen pipeline on NorSID (external, evaluation only)."""
