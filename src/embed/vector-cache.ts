/**
 * A bounded cache of stored float vectors by fact rowid, so that the vectors
 * a semantic search has just read for rescoring are not read from vec0 again
 * by the same recall's MMR (each vec0 point lookup costs ~10 µs).
 *
 * Two generations: entries go into the young one; when it is full it becomes
 * the old one (the previous old one is dropped) and a hit in the old one is
 * moved back into the young one. So the most recently used `capacity`
 * vectors are always kept, at most 2 × `capacity` are held, and every
 * operation is O(1).
 *
 * A fact's vector never changes while the model stays the same, so a cached
 * vector is exact; the owner clears the cache when the model changes.
 *
 * @module
 */
export class VectorCache {
  private young = new Map<number, Float32Array>();
  private old = new Map<number, Float32Array>();

  constructor(readonly capacity: number) {
    if (!(capacity >= 1)) throw new RangeError("capacity must be at least 1");
  }

  /** Vectors held (both generations). */
  get size(): number {
    return this.young.size + this.old.size;
  }

  get(rowid: number): Float32Array | undefined {
    const v = this.young.get(rowid);
    if (v !== undefined) return v;
    const o = this.old.get(rowid);
    if (o !== undefined) {
      this.old.delete(rowid);
      this.put(rowid, o);
    }
    return o;
  }

  put(rowid: number, vector: Float32Array): void {
    if (this.young.size >= this.capacity && !this.young.has(rowid)) {
      this.old = this.young;
      this.young = new Map();
    }
    this.young.set(rowid, vector);
  }

  clear(): void {
    this.young = new Map();
    this.old = new Map();
  }
}
