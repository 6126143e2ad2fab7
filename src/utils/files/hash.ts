/**
 * File hashes as Keras's file_utils computes them: sha256, or md5 (Keras's legacy default), and
 * 'auto' picks sha256 for a 64-character hash and md5 otherwise (resolve_hasher).
 */
import { createHash } from 'crypto';
import * as fs from 'fs';

export type HashAlgorithm = 'auto' | 'sha256' | 'md5';

/** The algorithm `algorithm` means for `fileHash`, as Keras's resolve_hasher decides it. */
export function resolveHashAlgorithm(algorithm: HashAlgorithm, fileHash?: string): 'sha256' | 'md5' {
  if (algorithm === 'sha256') return 'sha256';
  if (algorithm === 'auto' && fileHash !== undefined && fileHash.length === 64) return 'sha256';
  return 'md5';
}

/** A running hash (Node's crypto Hash, typed here so the public declarations need no Node types). */
export interface Hasher {
  update(data: Uint8Array): unknown;
  digest(encoding: 'hex'): string;
}

export function newHasher(algorithm: 'sha256' | 'md5'): Hasher {
  return createHash(algorithm);
}

/** The hex digest of the file at `file`, read in chunks. */
export async function hashFile(file: string, algorithm: 'sha256' | 'md5'): Promise<string> {
  const hasher = newHasher(algorithm);
  for await (const chunk of fs.createReadStream(file)) hasher.update(chunk as Buffer);
  return hasher.digest('hex');
}

/** Whether `file` has the hash `fileHash` (compared case-insensitively, as hex). */
export async function validateFile(file: string, fileHash: string, algorithm: HashAlgorithm): Promise<boolean> {
  return (await hashFile(file, resolveHashAlgorithm(algorithm, fileHash))) === fileHash.toLowerCase();
}
