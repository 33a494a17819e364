"""Code imported by Rasa itself; runs only in the engine environment (Python 3.10).

Nothing here may import from the rest of `bot`, which needs the app environment.
"""
