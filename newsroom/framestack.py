"""Python 3.11's frame stack, kept from thrashing under a page's render.

CPython keeps Python frames in chunks of 16 KiB. A call that crosses from one chunk into
the next maps a new chunk, and the return unmaps it (mmap, page faults, munmap), each
time: a loop that calls across that boundary pays a system call and page faults a call
(python/cpython#142183, "Calls across stack chunks perform badly"; fixed by keeping a
spare chunk, gh-145789, in 3.13 and later, not in 3.11). A render makes thousands of
calls, so how deep the server calls it decides whether its hot loops sit across a
boundary: the same section page cost from 12 to 31 ms of CPU by that depth alone, one
frame added or removed anywhere on the way (make bench, a scan of depths: kernel time,
mmap/munmap and page faults moved with it; Python's own work did not).

on_own_frame_stack(function, *args) calls `function` from a frame too large for any
chunk, which CPython gives a chunk of its own (sizes double from 16 KiB, so 1 MiB for
this one), with half of it free after the frame: the calls under it stay in that chunk
and cross no boundary however deep the server started. Elsewhere (3.13 and later, or a
Python without chunks) it costs one frame more.
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
