/** The python3 that has torch: Debian's (python3-torch) first, since the one on PATH may be another. */
import { execFileSync } from 'child_process';

export function torchPython(): string | null {
  for (const python of ['/usr/bin/python3', 'python3']) {
    try {
      execFileSync(python, ['-c', 'import torch'], { stdio: 'ignore' });
      return python;
    } catch {
      // try the next
    }
  }
  return null;
}
