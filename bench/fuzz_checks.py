"""Landsby's own Schemathesis checks, loaded by bench/fuzz.py through SCHEMATHESIS_HOOKS.

They add to Schemathesis' conformance checks what the public API promises beyond the
schema: no stack trace in any body, and no server error except a documented 503.
"""

from __future__ import annotations

import re

import schemathesis

# A Python traceback, or a frame line of one ('File "/x/y.py", line 12, in f').
_STACK_TRACE = re.compile(rb'Traceback \(most recent call last\)|File "[^"]+", line \d+')


@schemathesis.check
def no_stack_trace(
    ctx: schemathesis.CheckContext, response: schemathesis.Response, case: schemathesis.Case
) -> bool | None:
    """No body, error or not, shows a stack trace."""
    if b"Traceback" in response.content or _STACK_TRACE.search(response.content):
        raise AssertionError("The response body shows a stack trace")
    return None


@schemathesis.check
def only_documented_server_errors(
    ctx: schemathesis.CheckContext, response: schemathesis.Response, case: schemathesis.Case
) -> bool | None:
    """A 5xx only where the operation documents it, and that is only ever a 503."""
    status = response.status_code
    if status < 500:
        return None
    documented = str(status) in case.operation.definition.raw.get("responses", {})
    if status != 503 or not documented:
        raise AssertionError(f"Undocumented server error {status}")
    return None
