/**
 * The run store's SQLite schema, as an ordered list of migrations. A store records every
 * migration applied to it in `schema_version`; opening an older store applies the missing ones
 * (in one transaction each, under the write lock, so two processes never both migrate), and a
 * store from a newer glassbox is refused rather than misread.
 *
 * Never edit a migration that has shipped: add a new one at the end.
 */
import type Database from 'better-sqlite3';
import { GlassboxError } from '../util/errors.js';

export interface Migration {
  version: number;
  description: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'runs, checkpoints and metrics',
    sql: `
      CREATE TABLE runs (
        id          TEXT PRIMARY KEY,
        name        TEXT NOT NULL,
        created     TEXT NOT NULL,                 -- ISO 8601, UTC
        finished    TEXT,
        status      TEXT NOT NULL CHECK (status IN ('running', 'completed', 'failed', 'imported')),
        message     TEXT,
        seed        INTEGER,
        config      TEXT NOT NULL DEFAULT '{}',    -- JSON
        recipe      TEXT,
        dataset     TEXT,
        writer_pid  INTEGER,                       -- the process writing the run, while it runs
        writer_host TEXT
      );
      CREATE TABLE checkpoints (
        run      TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        step     INTEGER NOT NULL,
        epoch    REAL,
        file     TEXT NOT NULL,                    -- relative to the store directory
        bytes    INTEGER NOT NULL,
        sha256   TEXT NOT NULL,
        metrics  TEXT,                             -- JSON Metrics (none for imported series)
        created  TEXT NOT NULL,
        PRIMARY KEY (run, step)
      ) WITHOUT ROWID;
      CREATE TABLE metrics (
        run            TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        step           INTEGER NOT NULL,
        epoch          REAL NOT NULL,
        lr             REAL NOT NULL,
        train_loss     REAL,
        train_accuracy REAL,
        test_loss      REAL,
        test_accuracy  REAL,
        elapsed        REAL,
        PRIMARY KEY (run, step)
      ) WITHOUT ROWID;
      CREATE INDEX runs_created ON runs(created);
    `,
  },
  {
    version: 2,
    description: 'analysis results',
    sql: `
      CREATE TABLE analyses (
        id       INTEGER PRIMARY KEY,
        run      TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        step     INTEGER,                          -- the checkpoint analysed; NULL: the run as a whole
        kind     TEXT NOT NULL,
        params   TEXT NOT NULL,                    -- JSON, keys sorted (part of the key)
        result   TEXT NOT NULL,                    -- JSON
        created  TEXT NOT NULL
      );
      CREATE UNIQUE INDEX analyses_key ON analyses(run, IFNULL(step, -1), kind, params);
    `,
  },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/** The schema version of an open database (0 for an empty one). */
export function schemaVersion(db: Database.Database): number {
  const table = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'").get();
  if (!table) return 0;
  const row = db.prepare('SELECT MAX(version) AS version FROM schema_version').get() as { version: number | null };
  return row.version ?? 0;
}

/**
 * Brings a database up to `target` (default: the newest schema). Refuses a database newer than
 * this glassbox knows, naming both versions.
 */
export function migrate(db: Database.Database, source: string, target = SCHEMA_VERSION): number {
  const refuseNewer = (version: number): void => {
    if (version > SCHEMA_VERSION) {
      throw new GlassboxError('store-too-new', `${source} was written by a newer glassbox (store schema version ${version}; this glassbox reads up to ${SCHEMA_VERSION}): upgrade glassbox to open it`);
    }
  };
  const current = schemaVersion(db);
  refuseNewer(current);
  if (current >= target) return current;
  const run = db.transaction(() => {
    // Re-read under the write lock: another process may have migrated in the meantime.
    const now = schemaVersion(db);
    refuseNewer(now);
    if (now === 0) db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied TEXT NOT NULL)');
    for (const m of MIGRATIONS) {
      if (m.version <= now || m.version > target) continue;
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_version (version, description, applied) VALUES (?, ?, ?)').run(m.version, m.description, new Date().toISOString());
    }
  });
  run.immediate();
  return schemaVersion(db);
}
