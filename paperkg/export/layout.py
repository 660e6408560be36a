"""Deterministic 2-D positions for the HTML explorer, computed in Python (numpy, no SciPy).

:func:`compute_layout` lays out each connected component with a Fruchterman-Reingold
force model (the one of :func:`networkx.spring_layout`: attraction ``d²/k`` along
edges, repulsion ``k²/d`` between all pairs, linear cooling), scales it to pixels,
pushes overlapping node footprints (shape plus label) apart, and packs the components
in rows, largest first. Positions are whole pixels, so the page can be drawn at once
with physics off.

Two ways to sum the repulsion, chosen by component size:

* up to ``EXACT_LIMIT`` nodes, exactly, over all pairs (in row blocks, so memory stays
  small);
* above it, on a grid (particle-mesh): node masses are spread on a grid with bilinear
  (cloud-in-cell) weights, convolved with the ``k²/d`` kernel by FFT, and read back with
  the same weights. A step costs ``O(n + G² log G)`` instead of ``O(n²)``; the same
  weights for spreading and reading make the force antisymmetric, so a node never
  pushes itself. The grid blurs forces below one cell, which the overlap removal fixes.

Overlap removal finds candidate pairs with a spatial hash (cells as large as the
largest footprint), so it also costs about the number of nearby pairs, not ``n²``.

Everything is seeded and summed in a fixed order: the same input gives the same
positions. This module knows nothing about papers or entities; it does not produce a
"good" drawing of a hairball, only a fast, stable, overlap-free one.

Examples
--------
>>> import networkx as nx
>>> G = nx.path_graph(["a", "b", "c"])
>>> boxes = {n: (10.0, -5.0, 5.0) for n in G}
>>> pos = compute_layout(G, boxes, seed=1)
>>> sorted(pos) == ["a", "b", "c"] and pos == compute_layout(G, boxes, seed=1)
True
>>> all(isinstance(v, int) for xy in pos.values() for v in xy)
True
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import networkx as nx
import numpy as np

__all__ = ["Box", "EXACT_LIMIT", "compute_layout", "force_layout", "remove_overlaps"]

#: A node's footprint: half width, top offset (negative, above the centre) and bottom
#: offset (below the centre), in pixels.
Box = tuple[float, float, float]

#: Largest component whose repulsion is summed over all pairs.
EXACT_LIMIT = 1500

_PX_PER_SQRT_NODE = 75.0
_COMPONENT_GAP = 60.0


def compute_layout(graph: nx.Graph, boxes: Mapping[str, Box], *, seed: int) -> dict[str, tuple[int, int]]:
    """Return whole-pixel positions of the nodes in ``boxes``, centred on ``(0, 0)``.

    Parameters
    ----------
    graph : networkx.Graph
        Any networkx graph; only the edges among ``boxes`` count, direction, keys and
        self-loops are ignored.
    boxes : mapping of str to Box
        Footprint of every node to place (see :data:`Box`).
    seed : int
        Seed of the initial positions.

    Returns
    -------
    dict of str to (int, int)
        Positions in pixels (y grows downwards, as on a canvas).
    """
    nodes = sorted(boxes)
    simple = nx.Graph()
    simple.add_nodes_from(nodes)
    simple.add_edges_from(sorted({tuple(sorted((u, v))) for u, v in graph.subgraph(nodes).edges() if u != v}))
    components = sorted((sorted(c) for c in nx.connected_components(simple)), key=lambda c: (-len(c), c[0]))
    placed = []
    for comp in components:
        local = force_layout(simple, comp, seed=seed) * (_PX_PER_SQRT_NODE * math.sqrt(len(comp)))
        dims = np.array([boxes[n] for n in comp], dtype=float)
        local = remove_overlaps(local, dims)
        left, right = (local[:, 0] - dims[:, 0]).min(), (local[:, 0] + dims[:, 0]).max()
        top, bottom = (local[:, 1] + dims[:, 1]).min(), (local[:, 1] + dims[:, 2]).max()
        placed.append((comp, local - [left, top], right - left + _COMPONENT_GAP, bottom - top + _COMPONENT_GAP))
    area = sum(w * h for _, _, w, h in placed)
    row_width = max([w for _, _, w, _ in placed] + [1.5 * math.sqrt(area)])
    positions: dict[str, tuple[float, float]] = {}
    x = y = row_height = 0.0
    for comp, local, width, height in placed:
        if x > 0 and x + width > row_width:
            x, y, row_height = 0.0, y + row_height, 0.0
        for node, (px, py) in zip(comp, local):
            positions[node] = (x + px, y + py)
        x += width
        row_height = max(row_height, height)
    if not positions:
        return {}
    xs = [p[0] for p in positions.values()]
    ys = [p[1] for p in positions.values()]
    cx, cy = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
    return {n: (int(round(px - cx)), int(round(py - cy))) for n, (px, py) in positions.items()}


def force_layout(graph: nx.Graph, comp: list[str], *, seed: int) -> np.ndarray:
    """Fruchterman-Reingold positions of one connected component, centred, in the unit disc.

    Parameters
    ----------
    graph : networkx.Graph
        A simple undirected graph holding the component.
    comp : list of str
        The component's nodes, in the order of the returned rows.
    seed : int
        Seed of the initial positions.

    Returns
    -------
    numpy.ndarray
        ``(len(comp), 2)`` positions, main axis horizontal.

    Examples
    --------
    >>> import networkx as nx
    >>> pos = force_layout(nx.cycle_graph(4), [0, 1, 2, 3], seed=0)
    >>> pos.shape, bool(abs(pos).max() <= 1.0)
    ((4, 2), True)
    """
    n = len(comp)
    if n == 1:
        return np.zeros((1, 2))
    if n == 2:
        return np.array([[-0.5, 0.0], [0.5, 0.0]])
    index = {node: i for i, node in enumerate(comp)}
    pairs = np.array(sorted((index[u], index[v]) for u, v in graph.subgraph(comp).edges()), dtype=np.intp)
    src, dst = pairs[:, 0], pairs[:, 1]
    pos = np.random.default_rng(seed).random((n, 2))
    k = math.sqrt(1.0 / n)
    iterations = 100 if n <= 500 else 50 if n <= EXACT_LIMIT else 80
    repulsion = _exact_repulsion if n <= EXACT_LIMIT else _GridRepulsion(n)
    temperature = 0.1
    step = temperature / (iterations + 1)
    for _ in range(iterations):
        displacement = repulsion(pos, k)
        delta = pos[src] - pos[dst]
        pull = delta * (np.sqrt((delta * delta).sum(axis=1)) / k)[:, None]
        for axis in (0, 1):
            displacement[:, axis] -= np.bincount(src, weights=pull[:, axis], minlength=n)
            displacement[:, axis] += np.bincount(dst, weights=pull[:, axis], minlength=n)
        length = np.sqrt((displacement * displacement).sum(axis=1))
        np.clip(length, 0.01, None, out=length)
        pos += displacement * (temperature / length)[:, None]
        temperature -= step
    pos -= pos.mean(axis=0)
    # Turn the main axis horizontal: screens are wider than tall.
    values, vectors = np.linalg.eigh(np.cov(pos.T))
    main = vectors[:, int(np.argmax(values))]
    cos, sin = float(main[0]), float(main[1])
    pos = pos @ np.array([[cos, -sin], [sin, cos]])
    radius = float(np.sqrt((pos * pos).sum(axis=1)).max()) or 1.0
    return pos / radius


def _exact_repulsion(pos: np.ndarray, k: float) -> np.ndarray:
    """``sum_j k² (p_i - p_j) / |p_i - p_j|²`` over all pairs, in row blocks."""
    n = len(pos)
    displacement = np.empty_like(pos)
    block = 256
    for lo in range(0, n, block):
        dx = pos[lo : lo + block, None, 0] - pos[None, :, 0]
        dy = pos[lo : lo + block, None, 1] - pos[None, :, 1]
        repulse = dx * dx + dy * dy
        np.clip(repulse, 1e-4, None, out=repulse)
        np.divide(k * k, repulse, out=repulse)
        displacement[lo : lo + block, 0] = (dx * repulse).sum(axis=1)
        displacement[lo : lo + block, 1] = (dy * repulse).sum(axis=1)
    return displacement


class _GridRepulsion:
    """The repulsion of :func:`_exact_repulsion`, summed on a ``size × size`` grid by FFT.

    The kernel in cell units, ``(a, b) / (a² + b² + ½)``, is transformed once; each call
    spreads the nodes on a grid spanning their bounding box, multiplies by the kernel in
    Fourier space and reads the force back at every node.
    """

    def __init__(self, n: int) -> None:
        self.size = int(min(384, max(64, 2 * math.sqrt(n))))
        m = 2 * self.size  # zero padding: offsets up to ±(size - 1) do not wrap around
        off = np.fft.fftfreq(m, 1.0 / m)  # 0, 1, ..., m/2 - 1, -m/2, ..., -1
        a, b = np.meshgrid(off, off, indexing="ij")
        denominator = a * a + b * b + 0.5
        self.shape = (m, m)
        self.kx = np.fft.rfft2(a / denominator)
        self.ky = np.fft.rfft2(b / denominator)

    def __call__(self, pos: np.ndarray, k: float) -> np.ndarray:
        size = self.size
        lo = pos.min(axis=0)
        cell = float((pos.max(axis=0) - lo).max()) / (size - 1.001) or 1.0
        u = (pos - lo) / cell
        i0 = np.minimum(np.floor(u).astype(np.intp), size - 2)
        f = u - i0
        flat = []
        weights = []
        for di, dj in ((0, 0), (1, 0), (0, 1), (1, 1)):
            w = (f[:, 0] if di else 1 - f[:, 0]) * (f[:, 1] if dj else 1 - f[:, 1])
            flat.append((i0[:, 0] + di) * self.shape[1] + i0[:, 1] + dj)
            weights.append(w)
        cells = self.shape[0] * self.shape[1]
        density = np.bincount(np.concatenate(flat), weights=np.concatenate(weights), minlength=cells)
        spectrum = np.fft.rfft2(density.reshape(self.shape))
        scale = k * k / cell
        out = np.zeros_like(pos)
        for axis, kernel in ((0, self.kx), (1, self.ky)):
            field = np.fft.irfft2(spectrum * kernel, s=self.shape).ravel()
            out[:, axis] = scale * sum(field[idx] * w for idx, w in zip(flat, weights))
        return out


def _cell_pairs(cx: np.ndarray, cy: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Index pairs ``i < j`` of points in the same or adjacent cells (8-neighbourhood).

    Examples
    --------
    >>> import numpy as np
    >>> i, j = _cell_pairs(np.array([0, 0, 1, 5]), np.array([0, 1, 0, 5]))
    >>> sorted(zip(i.tolist(), j.tolist()))
    [(0, 1), (0, 2), (1, 2)]
    """
    n = len(cx)
    if n < 2:
        return np.zeros(0, np.intp), np.zeros(0, np.intp)
    cx = cx - cx.min() + 1
    cy = cy - cy.min() + 1
    height = int(cy.max()) + 2
    key = cx.astype(np.int64) * height + cy
    order = np.argsort(key, kind="stable")
    sorted_key = key[order]
    cells, start, count = np.unique(sorted_key, return_index=True, return_counts=True)
    found_i, found_j = [], []
    for dx, dy in ((0, 0), (0, 1), (1, -1), (1, 0), (1, 1)):
        target = sorted_key + dx * height + dy
        at = np.searchsorted(cells, target)
        at = np.minimum(at, len(cells) - 1)
        hit = cells[at] == target
        reps = np.where(hit, count[at], 0)
        total = int(reps.sum())
        if total == 0:
            continue
        rows = np.repeat(np.arange(n), reps)
        first = np.repeat(start[at] - (np.cumsum(reps) - reps), reps)
        cols = first + np.arange(total)
        if dx == 0 and dy == 0:
            keep = cols > rows
            rows, cols = rows[keep], cols[keep]
        a, b = order[rows], order[cols]
        found_i.append(np.minimum(a, b))
        found_j.append(np.maximum(a, b))
    if not found_i:
        return np.zeros(0, np.intp), np.zeros(0, np.intp)
    return np.concatenate(found_i), np.concatenate(found_j)


def _near_pairs(pos: np.ndarray, half: np.ndarray, top: np.ndarray, bottom: np.ndarray,
                slack: float) -> tuple[np.ndarray, np.ndarray]:
    """Index pairs ``i < j`` whose footprints are within ``slack`` pixels of touching."""
    width = 2 * float(half.max()) + slack
    height = float(bottom.max() - top.min()) + slack
    i, j = _cell_pairs(np.floor(pos[:, 0] / width).astype(np.int64), np.floor(pos[:, 1] / height).astype(np.int64))
    near = np.abs(pos[i, 0] - pos[j, 0]) < half[i] + half[j] + slack
    near &= (pos[i, 1] + top[i] < pos[j, 1] + bottom[j] + slack) & (pos[j, 1] + top[j] < pos[i, 1] + bottom[i] + slack)
    i, j = i[near], j[near]
    order = np.lexsort((j, i))
    return i[order], j[order]


def remove_overlaps(pos: np.ndarray, dims: np.ndarray, *, iterations: int = 300) -> np.ndarray:
    """Push apart nodes whose footprints overlap, along the cheaper axis.

    Parameters
    ----------
    pos : numpy.ndarray
        ``(n, 2)`` positions in pixels.
    dims : numpy.ndarray
        ``(n, 3)`` footprints (see :data:`Box`).
    iterations : int
        Most rounds; it stops earlier once nothing overlaps.

    Returns
    -------
    numpy.ndarray
        New positions; ``pos`` is not changed.

    Examples
    --------
    >>> import numpy as np
    >>> out = remove_overlaps(np.array([[0.0, 0.0], [1.0, 0.0]]), np.array([[10.0, -5.0, 5.0]] * 2))
    >>> bool(abs(out[0, 0] - out[1, 0]) >= 20 or abs(out[0, 1] - out[1, 1]) >= 10)
    True
    """
    pos = pos.copy()
    n = len(pos)
    if n < 2:
        return pos
    half, top, bottom = dims[:, 0], dims[:, 1], dims[:, 2]
    slack = 40.0
    i, j = _near_pairs(pos, half, top, bottom, slack)
    fresh = True
    for round_ in range(iterations):
        if round_ % 5 == 0 and not fresh:
            i, j = _near_pairs(pos, half, top, bottom, slack)
            fresh = True
        dx = pos[i, 0] - pos[j, 0]
        dy = (pos[i, 1] + (top[i] + bottom[i]) / 2) - (pos[j, 1] + (top[j] + bottom[j]) / 2)
        over_x = half[i] + half[j] - np.abs(dx)
        over_y = np.minimum(pos[i, 1] + bottom[i], pos[j, 1] + bottom[j]) - np.maximum(
            pos[i, 1] + top[i], pos[j, 1] + top[j]
        )
        hit = (over_x > 0) & (over_y > 0)
        if not hit.any():
            if fresh:
                break
            i, j = _near_pairs(pos, half, top, bottom, slack)
            fresh = True
            continue
        fresh = False
        along_x = hit & (over_x < over_y)
        along_y = hit & ~along_x
        push_x = np.where(along_x, np.where(dx > 0, 1.0, -1.0) * (over_x + 1) * 0.5, 0.0)
        push_y = np.where(along_y, np.where(dy > 0, 1.0, -1.0) * (over_y + 1) * 0.5, 0.0)
        pos[:, 0] += np.bincount(i, weights=push_x, minlength=n) - np.bincount(j, weights=push_x, minlength=n)
        pos[:, 1] += np.bincount(i, weights=push_y, minlength=n) - np.bincount(j, weights=push_y, minlength=n)
    return pos
