// PostGraphile 5 calls Promise.withResolvers (Node 22); Node 20 lacks it. Preloaded with `node -r` by bench/caseload.ts only.
Promise.withResolvers ??= function withResolvers() {
  let resolve, reject;
  const promise = new this((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
};
