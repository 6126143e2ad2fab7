/**
 * The budget of one load: how many bytes a file from a stranger may make keras-ts read, inflate or
 * allocate (checked against every declared size before anything is read or allocated), and how
 * long the load may take (checked between its steps). Honest huge models raise `maxBytes`.
 */
import { FileFormatError, ValueError } from '../engine/errors';

/** What one load may read and allocate by default: 4 GiB (a 1.4 GB ConvNeXtXLarge file is read, then decoded, within it). */
export const DEFAULT_MAX_LOAD_BYTES = 2 ** 32;
/** How long one load may take by default. */
export const DEFAULT_LOAD_SECONDS = 600;

export class LoadBudget {
  private used = 0;
  private readonly deadline: number;

  constructor(
    readonly maxBytes: number = DEFAULT_MAX_LOAD_BYTES,
    readonly seconds: number = DEFAULT_LOAD_SECONDS,
  ) {
    if (!(Number.isFinite(maxBytes) && maxBytes > 0)) throw new ValueError(`load: maxBytes must be a positive number of bytes, got ${maxBytes}. help: e.g. {maxBytes: 4 * 2 ** 30} for a 4 GiB model.`);
    this.deadline = Date.now() + seconds * 1000;
  }

  /** Bytes still allowed. */
  get left(): number {
    return this.maxBytes - this.used;
  }

  /** Takes `bytes` from the budget (before they are read or allocated), or refuses naming `what`. */
  spend(bytes: number, what: string): void {
    if (!(bytes >= 0 && bytes <= this.left)) {
      throw new FileFormatError(
        `${what} declares ${bytes} bytes, beyond what this load allows (${this.left} of maxBytes ${this.maxBytes} left). ` +
          'help: the file is corrupt or hostile; if it is an honest huge model, pass a larger {maxBytes} to loadModel / loadWeights.',
      );
    }
    this.used += bytes;
    this.checkTime(what);
  }

  /** Refuses to go on past the deadline. */
  checkTime(what: string): void {
    if (Date.now() > this.deadline) throw new FileFormatError(`${what}: the load took longer than its ${this.seconds} s budget. help: the file is hostile, or pass a larger {timeoutSeconds}.`);
  }
}
