import type { ChangeLogEntry } from '../domain/inspection/change-log.js';

export interface ChangeLogRepository {
  /** Appends review edits (an empty list is a no-op); entries are never updated, only added or deleted. */
  add(entries: ChangeLogEntry[]): Promise<void>;
  /** Every entry of an inspection, oldest first. */
  listForInspection(inspectionId: string): Promise<ChangeLogEntry[]>;
  /** One entry, or null when there is none. */
  findById(id: string): Promise<ChangeLogEntry | null>;
  /** False when missing. */
  delete(id: string): Promise<boolean>;
}

export const ChangeLogRepository = Symbol('ChangeLogRepository');
