// Zipf-distributed picks: item k (1-based) is drawn with probability proportional to 1 / k^s, the
// shape of real catalog traffic (a few titles get most requests, a long tail gets some).

/** A sampler over `count` items with exponent `s`; `next()` returns a 0-based index. */
export function zipfSampler(count, s) {
  const cumulative = new Float64Array(count);
  let total = 0;
  for (let rank = 1; rank <= count; rank += 1) {
    total += 1 / Math.pow(rank, s);
    cumulative[rank - 1] = total;
  }
  return {
    next() {
      const target = Math.random() * total;
      let low = 0;
      let high = count - 1;
      while (low < high) {
        const middle = (low + high) >> 1;
        if (cumulative[middle] < target) {
          low = middle + 1;
        } else {
          high = middle;
        }
      }
      return low;
    },
  };
}
