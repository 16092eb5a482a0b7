/**
 * The embedder's vectors of single words, kept per node for the embedder
 * that made them: recall compares question words with relation-name words
 * (core/recall/relation-match.ts), and the same few hundred relation words
 * come back in every question.
 *
 * @module
 */
import { cosine } from "../../core/recall/similarity.js";

/** Most words kept; the oldest half is dropped when full. */
const MAX_WORDS = 50_000;

export class WordVectors {
  private embedder = "";
  private readonly vectors = new Map<string, Float32Array>();

  /** Of `words`, those without a vector from `embedderId` (forgetting every vector of another embedder). */
  missing(embedderId: string, words: Iterable<string>): string[] {
    if (embedderId !== this.embedder) {
      this.vectors.clear();
      this.embedder = embedderId;
    }
    const out = new Set<string>();
    for (const w of words) if (!this.vectors.has(w)) out.add(w);
    return [...out];
  }

  /** Keeps `vectors[i]` as the vector of `words[i]`. */
  put(words: readonly string[], vectors: readonly Float32Array[]): void {
    if (this.vectors.size + words.length > MAX_WORDS) {
      let drop = this.vectors.size >> 1;
      for (const w of this.vectors.keys()) {
        if (drop-- <= 0) break;
        this.vectors.delete(w);
      }
    }
    words.forEach((w, i) => {
      const v = vectors[i];
      if (v !== undefined) this.vectors.set(w, v);
    });
  }

  /** Cosine of two kept words' vectors; undefined when either is missing. */
  similarity(a: string, b: string): number | undefined {
    const va = this.vectors.get(a);
    const vb = this.vectors.get(b);
    return va === undefined || vb === undefined ? undefined : cosine(va, vb);
  }
}
