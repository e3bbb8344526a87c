"""Compiled loops of the CIB engine: arrays in, arrays out, no validation.

The public functions in ``solve`` (through ``plan``), ``succession`` and ``basins``
validate their input, encode it into the flat int64 arrays taken here, and decode what
comes back. Everything here assumes the encoding is right. Kernels: ``search`` (the
branch and bound), ``step`` (one succession step), ``basins_exhaustive`` and
``basins_sampled``.

Encoding shared by all kernels
------------------------------
``cf``      judgements flattened row-major, shape (V * V,); row ``r`` starts at ``r * V``.
            Self-impacts that are to be ignored have already been set to zero.
``off``     first variant row of each descriptor plus the total, shape (N + 1,).
``cnt``     number of variants per descriptor, shape (N,).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar, cast

import numpy as np
import numpy.typing as npt


def _cache_dir() -> str:
    base = os.environ.get("XDG_CACHE_HOME")
    if not base:
        try:
            base = str(Path.home() / ".cache")
        except RuntimeError:  # no home folder (some service accounts)
            base = tempfile.gettempdir()
    return str(Path(base) / "koers" / "numba")


# Numba reads its configuration when it is first imported; an installed package cannot
# write next to its own files, so compiled kernels go to the user's cache folder.
os.environ.setdefault("NUMBA_CACHE_DIR", _cache_dir())

import numba  # noqa: E402

F = TypeVar("F", bound=Callable[..., Any])
Ints = npt.NDArray[np.int64]
# Scalars inside kernels are Python ints or numpy integers alike.
Scalar = Any


def _jit(function: F) -> F:
    return cast(F, numba.njit(cache=True, nogil=True)(function))


@_jit
def _add_row(s: Ints, cf: Ints, row: Scalar, width: Scalar, sign: int) -> None:
    base = row * width
    for v in range(width):
        s[v] += sign * cf[base + v]


@_jit
def _leaf_scores(s: Ints, z: Ints, off: Ints, cnt: Ints, exempt: Ints) -> tuple[int, int, int]:
    """Total impact score, inconsistency and margin of a complete scenario."""
    total = 0
    worst = 0
    margin = 0
    have_margin = False
    for j in range(cnt.shape[0]):
        first = off[j]
        chosen = s[first + z[j]]
        total += chosen
        if exempt[j] or cnt[j] < 2:
            continue
        best_other = -(2**62)
        for other in range(cnt[j]):
            if other != z[j] and s[first + other] > best_other:
                best_other = s[first + other]
        gap = chosen - best_other
        if -gap > worst:
            worst = -gap
        if not have_margin or gap < margin:
            margin = gap
            have_margin = True
    return total, worst, margin


@_jit
def step(cf: Ints, off: Ints, cnt: Ints, z: Ints, nxt: Ints, s: Ints, adiabatic: bool) -> bool:
    """One succession step from ``z`` into ``nxt``; returns whether anything moved.

    Global: every descriptor whose chosen variant is not among its best moves to its
    lowest-index best variant. Adiabatic: only the descriptor with the largest
    inconsistency moves (the lowest descriptor index among equals).
    """
    n_desc = cnt.shape[0]
    width = off[n_desc]
    s[:] = 0
    for j in range(n_desc):
        _add_row(s, cf, off[j] + z[j], width, 1)
    moved = False
    worst = 0
    worst_j = -1
    worst_to = 0
    for j in range(n_desc):
        first = off[j]
        best = first
        for v in range(first + 1, off[j + 1]):
            if s[v] > s[best]:
                best = v
        nxt[j] = z[j]
        gap = s[best] - s[first + z[j]]
        if gap > 0:
            if adiabatic:
                if gap > worst:
                    worst = gap
                    worst_j = j
                    worst_to = best - first
            else:
                nxt[j] = best - first
                moved = True
    if adiabatic and worst_j >= 0:
        nxt[worst_j] = worst_to
        moved = True
    return moved


@_jit
def _encode(z: Ints, strides: Ints) -> int:
    code = 0
    for j in range(z.shape[0]):
        code += z[j] * strides[j]
    return code


@_jit
def _decode(code: int, cnt: Ints, strides: Ints, z: Ints) -> None:
    for j in range(cnt.shape[0]):
        z[j] = (code // strides[j]) % cnt[j]


@_jit
def basins_exhaustive(
    cf: Ints, off: Ints, cnt: Ints, strides: Ints, adiabatic: bool, label: npt.NDArray[np.int32]
) -> Ints:
    """Label every scenario code with the attractor its succession ends in.

    Follows each start until it meets a labelled scenario or closes a loop on its own
    path; so every scenario is stepped once. ``label`` (size of the space) must hold -1 on
    entry. Returns, per attractor id, the lowest code on its fixed point or cycle.
    """
    n_desc = cnt.shape[0]
    width = off[n_desc]
    space = label.shape[0]
    z = np.zeros(n_desc, dtype=np.int64)
    nxt = np.zeros(n_desc, dtype=np.int64)
    s = np.zeros(width, dtype=np.int64)
    path = np.empty(64, dtype=np.int64)
    reps = np.empty(16, dtype=np.int64)
    n_reps = 0
    for start in range(space):
        if label[start] >= 0:
            continue
        length = 0
        code = start
        while label[code] == -1:
            label[code] = -2
            if length == path.shape[0]:
                grown = np.empty(2 * length, dtype=np.int64)
                grown[:length] = path[:length]
                path = grown
            path[length] = code
            length += 1
            _decode(code, cnt, strides, z)
            step(cf, off, cnt, z, nxt, s, adiabatic)
            code = _encode(nxt, strides)
        if label[code] == -2:
            lowest = code
            k = length - 1
            while path[k] != code:
                if path[k] < lowest:
                    lowest = path[k]
                k -= 1
            if n_reps == reps.shape[0]:
                grown = np.empty(2 * n_reps, dtype=np.int64)
                grown[:n_reps] = reps[:n_reps]
                reps = grown
            reps[n_reps] = lowest
            target = n_reps
            n_reps += 1
        else:
            target = label[code]
        for k in range(length):
            label[path[k]] = target
    return reps[:n_reps].copy()


@_jit
def _slot(keys: Ints, code: Scalar) -> Scalar:
    """Slot of ``code`` in an open-addressing table (its own, or the empty one to use)."""
    mask = keys.shape[0] - 1
    # a Lehmer-style mix that stays below 2**47, so it never overflows int64
    h = (((code % 2147483647) * 48271) ^ (code >> 31)) & mask
    while keys[h] != -1 and keys[h] != code:
        h = (h + 1) & mask
    return h


@_jit
def basins_sampled(
    cf: Ints,
    off: Ints,
    cnt: Ints,
    strides: Ints,
    adiabatic: bool,
    starts: Ints,
    max_steps: int,
    table_bits: int,
) -> Ints:
    """For each start row, the lowest code on the fixed point or cycle it ends in.

    Scenarios met on the way are remembered with their result in a hash table of
    ``2**table_bits`` slots (filled to half at most), so later starts stop where earlier
    ones passed. -1 marks a start that had not closed a loop after ``max_steps`` steps.
    """
    n_desc = cnt.shape[0]
    width = off[n_desc]
    z = np.zeros(n_desc, dtype=np.int64)
    nxt = np.zeros(n_desc, dtype=np.int64)
    s = np.zeros(width, dtype=np.int64)
    seen = np.empty(max_steps + 1, dtype=np.int64)
    out = np.full(starts.shape[0], -1, dtype=np.int64)
    keys = np.full(1 << table_bits, -1, dtype=np.int64)
    values = np.zeros(1 << table_bits, dtype=np.int64)
    stored = 0
    for q in range(starts.shape[0]):
        for j in range(n_desc):
            z[j] = starts[q, j]
        code = _encode(z, strides)
        length = 0
        result = -1
        while length <= max_steps:
            slot = _slot(keys, code)
            if keys[slot] == code:
                result = int(values[slot])
                break
            hit = -1
            for k in range(length):
                if seen[k] == code:
                    hit = k
                    break
            if hit >= 0:
                result = code
                for k in range(hit, length):
                    if seen[k] < result:
                        result = seen[k]
                break
            seen[length] = code
            length += 1
            step(cf, off, cnt, z, nxt, s, adiabatic)
            for j in range(n_desc):
                z[j] = nxt[j]
            code = _encode(z, strides)
        out[q] = result
        if result >= 0:
            for k in range(length):
                if 2 * stored >= keys.shape[0]:
                    break
                slot = _slot(keys, seen[k])
                if keys[slot] == -1:
                    keys[slot] = seen[k]
                    values[slot] = result
                    stored += 1
    return out


@_jit
def _passes(
    s: Ints, j: Scalar, c: Scalar, off: Ints, cnt: Ints, bound: Ints, poff: Ints, allowance: Scalar
) -> bool:
    """Can variant ``c`` of descriptor ``j`` still pass, given the slack in ``bound``?"""
    n = cnt[j]
    first = off[j]
    chosen = s[first + c]
    row = poff[j] + c
    for other in range(n):
        if other != c and s[first + other] - chosen + bound[row + other * n] > allowance:
            return False
    return True


@_jit
def _assigned_pass(
    s: Ints,
    z: Ints,
    assigned: npt.NDArray[np.bool_],
    exempt: Ints,
    off: Ints,
    cnt: Ints,
    slack: Ints,
    poff: Ints,
    allowance: Scalar,
) -> bool:
    """Can every assigned, tested descriptor still pass with its chosen variant?"""
    for j in range(cnt.shape[0]):
        if (
            assigned[j]
            and not exempt[j]
            and not _passes(s, j, z[j], off, cnt, slack, poff, allowance)
        ):
            return False
    return True


@_jit
def search(
    cf: Ints,
    off: Ints,
    cnt: Ints,
    low: Ints,
    high: Ints,
    exempt: Ints,
    contrib: Ints,
    poff: Ints,
    allowance: int,
    prefixes: Ints,
    first_prefix: int,
    last_prefix: int,
    stop_depth: int,
    stop_after: int,
    out_z: Ints,
    out_metrics: Ints,
) -> tuple[int, bool]:
    """Depth-first branch and bound below each row of ``prefixes[first:last]``.

    A prefix row gives a variant for some descriptors and -1 for the free ones. The
    search keeps ``slack``: for every pair of variants of a descriptor, the least that the
    still unassigned descriptors can add to ``theta_jl - theta_jc`` (the sum of their rows
    of ``contrib``, shape (N, P)). An assigned descriptor whose chosen variant cannot pass
    any more cuts the branch. Of the unassigned descriptors the one with the fewest
    variants that can still pass goes next (the lowest index among equals) and only those
    variants are tried; none left cuts the branch. The choice depends on the partial
    assignment only, so the order in which scenarios are met does not depend on how the
    tree was cut into prefixes.

    A node with ``stop_depth`` descriptors assigned is emitted: its variants (-1 where
    free) go to ``out_z`` and, when complete, TIS, inconsistency and margin to
    ``out_metrics`` while there is room; emitted nodes are counted beyond the room so the
    caller can grow the buffers and run again. The search returns early once
    ``stop_after`` nodes are emitted (``stop_after < 0``: never). Returns the number
    emitted and whether it stopped early.
    """
    n_desc = cnt.shape[0]
    width = off[n_desc]
    pairs = poff[n_desc]
    room = out_z.shape[0]
    widest = 1
    for j in range(n_desc):
        widest = max(widest, cnt[j])
    s = np.zeros(width, dtype=np.int64)
    z = np.zeros(n_desc, dtype=np.int64)
    assigned = np.zeros(n_desc, dtype=np.bool_)
    slack = np.zeros(pairs, dtype=np.int64)
    desc_at = np.zeros(n_desc + 1, dtype=np.int64)
    cand = np.zeros((n_desc + 1) * widest, dtype=np.int64)
    n_cand = np.zeros(n_desc + 1, dtype=np.int64)
    pos = np.zeros(n_desc + 1, dtype=np.int64)
    found = 0
    for q in range(first_prefix, last_prefix):
        s[:] = 0
        slack[:] = 0
        depth0 = 0
        for j in range(n_desc):
            z[j] = prefixes[q, j]
            assigned[j] = z[j] >= 0
            if assigned[j]:
                desc_at[depth0] = j
                depth0 += 1
                _add_row(s, cf, off[j] + z[j], width, 1)
            else:
                for k in range(pairs):
                    slack[k] += contrib[j, k]
        if not _assigned_pass(s, z, assigned, exempt, off, cnt, slack, poff, allowance):
            continue
        depth = depth0
        while True:
            # Choose the descriptor for this depth (or emit a complete scenario).
            if depth == stop_depth:
                if found < room:
                    for e in range(n_desc):
                        out_z[found, e] = z[e] if assigned[e] else -1
                    if depth == n_desc:
                        total, worst, margin = _leaf_scores(s, z, off, cnt, exempt)
                        out_metrics[found, 0] = total
                        out_metrics[found, 1] = worst
                        out_metrics[found, 2] = margin
                found += 1
                if found == stop_after:
                    return found, True
                depth -= 1
            else:
                pick = -1
                fewest = widest + 1
                for u in range(n_desc):
                    if assigned[u]:
                        continue
                    alive = 0
                    for c in range(low[u], high[u]):
                        if exempt[u] or _passes(s, u, c, off, cnt, slack, poff, allowance):
                            alive += 1
                    if alive < fewest:
                        fewest = alive
                        pick = u
                        if alive <= 1:
                            break
                if fewest == 0:
                    depth -= 1
                else:
                    desc_at[depth] = pick
                    k = 0
                    for c in range(low[pick], high[pick]):
                        if exempt[pick] or _passes(s, pick, c, off, cnt, slack, poff, allowance):
                            cand[depth * widest + k] = c
                            k += 1
                    n_cand[depth] = k
                    pos[depth] = 0
                    assigned[pick] = True
                    for k in range(pairs):
                        slack[k] -= contrib[pick, k]
            # Try the next candidate at this depth, backtracking when they run out.
            descended = False
            while depth >= depth0 and not descended:
                j = desc_at[depth]
                if pos[depth] > 0:
                    _add_row(s, cf, off[j] + z[j], width, -1)
                if pos[depth] == n_cand[depth]:
                    assigned[j] = False
                    for k in range(pairs):
                        slack[k] += contrib[j, k]
                    depth -= 1
                    continue
                z[j] = cand[depth * widest + pos[depth]]
                pos[depth] += 1
                _add_row(s, cf, off[j] + z[j], width, 1)
                if _assigned_pass(s, z, assigned, exempt, off, cnt, slack, poff, allowance):
                    depth += 1
                    descended = True
            if not descended:
                break
    return found, False
