/**
 * BackupAndRestore, as Keras 3's: at the end of every epoch it backs up the weights and the
 * optimizer's state (and where the random generator is) into `backupDir`; when fit starts and a
 * backup is there (the last run was killed), it restores it and continues from the next epoch, so
 * the run ends as one that was never interrupted. The backup is deleted when fit ends normally.
 *
 * Crash safety: each epoch's weights go to a new file, written atomically; then the small metadata
 * file that names it is replaced atomically; only then is the previous weights file removed. A kill
 * at any point leaves a metadata file naming a complete weights file.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ValueError } from '../engine/errors';
import { checkOptions, optionKeys } from '../engine/options';
import { getRandomState, setRandomState } from '../utils/random';
import { BaseCallback } from './callback';

export interface BackupAndRestoreArgs {
  /**
   * Backups are made only at the end of each epoch (Keras also takes a number of batches). Keras: `save_freq`
   * @default 'epoch'
   */
  saveFreq?: 'epoch';
  /** Delete the backup when training ends normally. Keras: `delete_checkpoint` @default true */
  deleteCheckpoint?: boolean;
}

const KEYS = optionKeys<BackupAndRestoreArgs>()('saveFreq', 'deleteCheckpoint');
const METADATA = 'training_metadata.json';

interface Metadata {
  /** Epochs completed: the epoch to continue from. */
  epoch: number;
  /** The weights file (in backupDir). */
  weights: string;
  /** The seeded random generator's state after that epoch, or null. */
  randomState: number | null;
}

export class BackupAndRestore extends BaseCallback {
  /** In a data-parallel run only process 0 writes. */
  readonly rankZeroOnly = true;
  readonly backupDir: string;
  readonly deleteCheckpoint: boolean;
  /** The epoch the last fit resumed from (0 when it started afresh). */
  resumedFrom = 0;

  constructor(backupDir: string, args: BackupAndRestoreArgs = {}) {
    super();
    checkOptions('BackupAndRestore', args, KEYS);
    if (typeof backupDir !== 'string' || backupDir === '') throw new ValueError(`BackupAndRestore: give a backup folder, got ${JSON.stringify(backupDir)}. help: e.g. new BackupAndRestore('backup').`);
    if (args.saveFreq !== undefined && args.saveFreq !== 'epoch') {
      throw new ValueError(`BackupAndRestore: saveFreq ${JSON.stringify(args.saveFreq)} is not supported; backups are made at the end of each epoch. help: leave saveFreq out.`);
    }
    this.backupDir = backupDir;
    this.deleteCheckpoint = args.deleteCheckpoint ?? true;
  }

  private readMetadata(): Metadata | null {
    const file = path.join(this.backupDir, METADATA);
    if (!fs.existsSync(file)) return null;
    let meta: Metadata;
    try {
      meta = JSON.parse(fs.readFileSync(file, 'utf8')) as Metadata;
    } catch (e) {
      throw new ValueError(`BackupAndRestore: ${file} is not readable JSON (${(e as Error).message}). help: delete the folder ${this.backupDir} to start afresh.`);
    }
    if (!Number.isInteger(meta.epoch) || meta.epoch < 0 || typeof meta.weights !== 'string' || path.basename(meta.weights) !== meta.weights) {
      throw new ValueError(`BackupAndRestore: ${file} is malformed. help: delete the folder ${this.backupDir} to start afresh.`);
    }
    return meta;
  }

  async onTrainBegin(): Promise<void> {
    this.resumedFrom = 0;
    const meta = this.readMetadata();
    if (meta === null || this.model === null) return;
    if (this.model.loadWeights === undefined) throw new ValueError('BackupAndRestore: the model cannot load weights. help: use it with a keras-ts Model.');
    await this.model.loadWeights(path.join(this.backupDir, meta.weights));
    if (meta.randomState !== null && meta.randomState !== undefined) setRandomState(meta.randomState);
    if (this.params !== null) this.params.initialEpoch = Math.max(this.params.initialEpoch, meta.epoch);
    this.resumedFrom = meta.epoch;
  }

  async onEpochEnd(epoch: number): Promise<void> {
    if (this.model?.saveWeights === undefined) return;
    fs.mkdirSync(this.backupDir, { recursive: true });
    const previous = this.readMetadata();
    const weights = `epoch-${epoch + 1}.weights.h5`;
    await this.model.saveWeights(path.join(this.backupDir, weights), { overwrite: true, includeOptimizer: true });
    const meta: Metadata = { epoch: epoch + 1, weights, randomState: getRandomState() };
    const file = path.join(this.backupDir, METADATA);
    const tmp = `${file}.tmp-${process.pid}`;
    fs.writeFileSync(tmp, JSON.stringify(meta));
    fs.renameSync(tmp, file);
    if (previous !== null && previous.weights !== weights) fs.rmSync(path.join(this.backupDir, previous.weights), { force: true });
  }

  /** fit ended normally (a killed or failed run never gets here): the backup has served. */
  onTrainEnd(): void {
    if (this.deleteCheckpoint) fs.rmSync(this.backupDir, { recursive: true, force: true });
  }
}
