/** The run store and checkpoint series (issue 5): everything the package exports from src/store/. */
export {
  RunStore, DEFAULT_STORE_DIR, DATABASE_FILE, OPTIMIZER_PREFIX, canonicalJson,
  type RunInfo, type RunStatus, type CheckpointInfo, type AnalysisRecord, type OpenOptions, type NewRun,
} from './store.js';
export { MIGRATIONS, SCHEMA_VERSION, migrate, schemaVersion, type Migration } from './schema.js';
export { CheckpointSeries, checkpointSeries, type SeriesPoint } from './series.js';
export { parseSchedule, logSpacedSteps, type CheckpointSchedule } from './schedule.js';
export { importSeries, orderByStep, modelDifference, type ImportSource, type ImportResult } from './import.js';
export { exportCheckpoint, parseCheckpointRef, type ExportResult } from './export.js';
export {
  encodeSafetensors, decodeSafetensors, saveSafetensors, loadSafetensors, readSafetensorsHeader, parseSafetensorsHeader,
  type Safetensors, type SafetensorsEntry, type SafetensorsHeader,
} from './safetensors.js';
export { baseRunId, slugify } from './ids.js';
