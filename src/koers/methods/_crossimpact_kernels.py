"""Compiled loop of the event cross-impact simulation: arrays in, arrays out, no validation.

``koers.methods.crossimpact.simulate`` validates the events, encodes them into the arrays
taken here and decodes what comes back. Everything here assumes the encoding is right.

Encoding
--------
``p0``       initial probabilities, float64, shape (n,).
``fac``      the impact factors ``strength / 3`` row-major by source, float64, shape (n * n,);
             0 where there is no impact (the diagonal included).
``lo``       start of each event's window in days, ``span`` its length in days, float64,
             shape (n,); used only when ``windowed``.

Random numbers
--------------
Each run has its own splitmix64 stream (Steele, Lea and Flood 2014), started at
``mix(key + (run + 1) * GAMMA)``: a run's draws depend on the master key and the run's index
alone, so results do not depend on how runs are cut into chunks or spread over threads.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

import numpy as np
import numpy.typing as npt

# isort: off
# Importing the CIB kernels first points NUMBA_CACHE_DIR at the user's cache folder before
# numba reads its configuration (it does so once, on first import).
import koers.methods.cib._kernels  # noqa: F401
import numba

# isort: on

F = TypeVar("F", bound=Callable[..., Any])
Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]
Words = npt.NDArray[np.uint64]

CHUNK = 4096
"""Runs per parallel task; any value gives the same results (each run is seeded alone)."""

_GAMMA = np.uint64(0x9E3779B97F4A7C15)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)
_S30 = np.uint64(30)
_S27 = np.uint64(27)
_S31 = np.uint64(31)
_S11 = np.uint64(11)
_ONE = np.uint64(1)
_UNIT = 1.0 / 9007199254740992.0  # 2**-53


def _jit(function: F) -> F:
    return cast(F, numba.njit(cache=True, nogil=True)(function))


if numba.config.DISABLE_JIT:  # type: ignore[attr-defined]
    # numpy warns when uint64 arithmetic wraps; compiled code wraps silently, as intended
    _WORD = (1 << 64) - 1

    def _add(a: np.uint64, b: np.uint64) -> np.uint64:
        return np.uint64((int(a) + int(b)) & _WORD)

    def _mul(a: np.uint64, b: np.uint64) -> np.uint64:
        return np.uint64((int(a) * int(b)) & _WORD)

else:

    @_jit
    def _add(a: np.uint64, b: np.uint64) -> np.uint64:
        return a + b

    @_jit
    def _mul(a: np.uint64, b: np.uint64) -> np.uint64:
        return a * b


@_jit
def _mix(z: np.uint64) -> np.uint64:
    z = _mul(z ^ (z >> _S30), _MIX1)
    z = _mul(z ^ (z >> _S27), _MIX2)
    return z ^ (z >> _S31)


@_jit
def _uniform(state: np.uint64) -> tuple[np.uint64, float]:
    """The next state and a uniform float in [0, 1) with 53 random bits."""
    state = _add(state, _GAMMA)
    return state, float(_mix(state) >> _S11) * _UNIT


@_jit
def _order(
    state: np.uint64,
    order: Ints,
    times: Floats,
    windowed: bool,
    lo: Floats,
    span: Floats,
) -> np.uint64:
    """Fill ``order`` with the events in the order they are decided in this run."""
    n = order.shape[0]
    if windowed:
        # a random moment in each window; insertion sort (n is small) by that moment
        for i in range(n):
            state, u = _uniform(state)
            moment = lo[i] + u * span[i]
            j = i
            while j > 0 and times[j - 1] > moment:
                times[j] = times[j - 1]
                order[j] = order[j - 1]
                j -= 1
            times[j] = moment
            order[j] = i
        return state
    for i in range(n):
        order[i] = i
    for i in range(n - 1, 0, -1):  # Fisher-Yates
        state, u = _uniform(state)
        j = int(u * (i + 1))
        order[i], order[j] = order[j], order[i]
    return state


@_jit
def _runs(
    key: np.uint64,
    first: int,
    stop: int,
    p0: Floats,
    fac: Floats,
    windowed: bool,
    lo: Floats,
    span: Floats,
    bits: int,
    capacity: int,
    masks: Words,
    sequences: Words,
    occurred: Ints,
    before: Ints,
) -> None:
    """Runs ``first .. stop - 1``; their outcomes go to ``masks`` and ``sequences``
    (indexed from ``first``), their counts are added to ``occurred`` and ``before``."""
    n = p0.shape[0]
    order = np.empty(n, np.int64)
    times = np.empty(n, np.float64)
    p = np.empty(n, np.float64)
    happened = np.empty(n, np.int64)
    truncated = _ONE << np.uint64(63)
    for run in range(first, stop):
        state = _mix(_add(key, _mul(np.uint64(run + 1), _GAMMA)))
        state = _order(state, order, times, windowed, lo, span)
        for i in range(n):
            p[i] = p0[i]
        mask = np.uint64(0)
        sequence = np.uint64(0)
        count = 0
        for step in range(n):
            event = order[step]
            state, u = _uniform(state)
            if u >= p[event]:
                continue
            mask |= _ONE << np.uint64(event)
            occurred[event] += 1
            for q in range(count):
                before[happened[q], event] += 1
            happened[count] = event
            count += 1
            if count <= capacity:
                sequence |= np.uint64(event + 1) << np.uint64(bits * (count - 1))
            else:
                sequence |= truncated
            # Gordon and Hayward's quadratic rule, in [0, 1] for |fac| <= 1. It updates the
            # events already decided too: their probabilities are not read again in this
            # run, and one branch-free pass over a row vectorises.
            row = event * n
            for target in range(n):
                pt = p[target]
                p[target] = pt + fac[row + target] * pt * (1.0 - pt)
        masks[run - first] = mask
        sequences[run - first] = sequence


def _jit_parallel(function: F) -> F:
    return cast(F, numba.njit(cache=True, nogil=True, parallel=True)(function))


@_jit_parallel
def simulate_batch(
    key: np.uint64,
    first: int,
    size: int,
    p0: Floats,
    fac: Floats,
    windowed: bool,
    lo: Floats,
    span: Floats,
    bits: int,
    capacity: int,
    masks: Words,
    sequences: Words,
    occurred: Ints,
    before: Ints,
) -> None:
    """Runs ``first .. first + size - 1`` in chunks of ``CHUNK``, in parallel.

    ``masks`` and ``sequences`` have shape (size,); ``occurred`` (n,) and ``before`` (n, n)
    receive the counts of this batch (added to what they hold).
    """
    n = p0.shape[0]
    chunks = (size + CHUNK - 1) // CHUNK
    chunk_occurred = np.zeros((chunks, n), np.int64)
    chunk_before = np.zeros((chunks, n, n), np.int64)
    for c in numba.prange(chunks):
        start = c * CHUNK
        stop = min(size, start + CHUNK)
        _runs(
            key,
            first + start,
            first + stop,
            p0,
            fac,
            windowed,
            lo,
            span,
            bits,
            capacity,
            masks[start:stop],
            sequences[start:stop],
            chunk_occurred[c],
            chunk_before[c],
        )
    # integer sums: the same whatever order the chunks finished in
    for c in range(chunks):
        for i in range(n):
            occurred[i] += chunk_occurred[c, i]
            for j in range(n):
                before[i, j] += chunk_before[c, i, j]


@_jit
def merge_tables(
    values: Words, counts: Ints, more_values: Words, more_counts: Ints
) -> tuple[Words, Ints]:
    """Two tables of ascending distinct codes and their counts, merged into one."""
    size = values.shape[0] + more_values.shape[0]
    out_values = np.empty(size, np.uint64)
    out_counts = np.empty(size, np.int64)
    i = j = k = 0
    while i < values.shape[0] or j < more_values.shape[0]:
        if j == more_values.shape[0] or (i < values.shape[0] and values[i] < more_values[j]):
            out_values[k] = values[i]
            out_counts[k] = counts[i]
            i += 1
        elif i == values.shape[0] or more_values[j] < values[i]:
            out_values[k] = more_values[j]
            out_counts[k] = more_counts[j]
            j += 1
        else:
            out_values[k] = values[i]
            out_counts[k] = counts[i] + more_counts[j]
            i += 1
            j += 1
        k += 1
    return out_values[:k].copy(), out_counts[:k].copy()
