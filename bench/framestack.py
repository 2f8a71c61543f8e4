"""The bench's requests at a fixed depth of Python 3.11's frame stack.

CPython keeps Python frames in chunks of 16 KiB. A call that crosses from one chunk into
the next maps a new chunk, and the return unmaps it (mmap, page faults, munmap), each
time: a loop that calls across that boundary pays a system call and page faults a call
(python/cpython#142183, "Calls across stack chunks perform badly"; fixed upstream by
keeping a spare chunk, gh-145789, merged in 2026; not in 3.11, which pyproject.toml
pins). A render makes thousands of calls, so how deep it is called decides whether its
hot loops sit across a boundary: the same section page cost from 12 to 31 ms of CPU by
that depth alone (a scan of starting depths: kernel time, mmap/munmap and page faults
moved with it; Python's own work did not), and `python -m bench.pages` measured a third
more than the same script imported.

on_own_frame_stack(function, *args) calls `function` from a frame too large for any
chunk, which CPython gives a chunk of its own (sizes double from 16 KiB, so 1 MiB for
this one), with half of it free after the frame: the calls under it stay in that chunk
and cross no boundary. So the bench measures every page as it costs off a boundary,
however it was started. A gunicorn worker is not wrapped (tried: the story page cost
no less, `scripts/bench_peers.py --before`): in production a page's depth is fixed by
gunicorn, Django and the middleware, and one of them may sit on a boundary.
"""

import types

# Value-stack slots the calling frame reserves: 8 bytes each, so 512 KiB, and a chunk of
# 1 MiB with the other half left for the frames of the call.
RESERVED_SLOTS = 65536

_call = (lambda function, args: function(*args)).__code__.replace(co_stacksize=RESERVED_SLOTS)
_call_on_own_frame_stack = types.FunctionType(_call, {})


def on_own_frame_stack(function, *args):
    """function(*args), called from a frame with a chunk of the frame stack of its own."""
    return _call_on_own_frame_stack(function, args)
