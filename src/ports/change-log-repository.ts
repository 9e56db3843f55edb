import type { ChangeLogEntry } from '../domain/inspection/change-log.js';

export interface ChangeLogRepository {
  add(entries: ChangeLogEntry[]): Promise<void>;
  /** Every entry of an inspection, oldest first. */
  listForInspection(inspectionId: string): Promise<ChangeLogEntry[]>;
  findById(id: string): Promise<ChangeLogEntry | null>;
  /** False when missing. */
  delete(id: string): Promise<boolean>;
}

export const ChangeLogRepository = Symbol('ChangeLogRepository');
