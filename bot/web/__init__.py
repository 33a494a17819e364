"""The public web app: chat API, caseworker FAQ, health."""
