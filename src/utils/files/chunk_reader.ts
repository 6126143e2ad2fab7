/** Exact-size reads over a stream of chunks (a file, maybe through gunzip), for the tar reader. */
export class ChunkReader {
  private chunk: Buffer = Buffer.alloc(0);
  private at = 0;
  private readonly iterator: AsyncIterator<Buffer>;

  constructor(source: AsyncIterable<Buffer>) {
    this.iterator = source[Symbol.asyncIterator]();
  }

  /** Up to `max` bytes (at least one), or null at the end of the stream. */
  async some(max: number): Promise<Buffer | null> {
    while (this.at >= this.chunk.length) {
      const next = await this.iterator.next();
      if (next.done === true) return null;
      this.chunk = next.value;
      this.at = 0;
    }
    const n = Math.min(max, this.chunk.length - this.at);
    const out = this.chunk.subarray(this.at, this.at + n);
    this.at += n;
    return out;
  }

  /** Exactly `n` bytes, or null when the stream ends first (a partial read is lost: the archive is truncated). */
  async exactly(n: number): Promise<Buffer | null> {
    const parts: Buffer[] = [];
    let got = 0;
    while (got < n) {
      const part = await this.some(n - got);
      if (part === null) return null;
      parts.push(part);
      got += part.length;
    }
    return parts.length === 1 ? parts[0] : Buffer.concat(parts);
  }

  /** Hands `n` bytes to `sink` piece by piece; false when the stream ends first. */
  async forEach(n: number, sink: (piece: Buffer) => void): Promise<boolean> {
    let left = n;
    while (left > 0) {
      const part = await this.some(left);
      if (part === null) return false;
      sink(part);
      left -= part.length;
    }
    return true;
  }
}
