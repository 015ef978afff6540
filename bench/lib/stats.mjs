// Median, min and max of repetitions; ratios of medians.
export function summary(values) {
  const v = values.filter((x) => typeof x === "number" && Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return null;
  const mid = v.length >> 1;
  const median = v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
  return { median, min: v[0], max: v[v.length - 1], n: v.length, values };
}

export const ratio = (a, b) => (a && b && b.median > 0 ? a.median / b.median : null);

/** [a, b, c] rotated by `round`: ABC, BCA, CAB, ... so no contender always goes first. */
export const rotate = (list, round) => list.map((_, i) => list[(i + round) % list.length]);
