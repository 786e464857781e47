/**
 * mixsim's public API: seeded data, an lme4-exact REML/ML fitter, and simulation studies with Monte Carlo
 * standard errors.
 * @packageDocumentation
 */
export { UserError } from './errors.ts';
export type { Column, Dataset, NumericColumn, TextColumn } from './data/dataset.ts';
export { parseCsv, readCsv, ensureNumeric, type CsvTable } from './data/csv.ts';
export { simulateMixedData, type MixedDataOptions, type GroupAssignment, type CovariateDistribution } from './data/generate.ts';
export { createStream, replicateStream, type RandomStream } from './rng/stream.ts';
export { estimatorSeed, replicateSeed, fmix32, type ReplicateKey } from './rng/seed.ts';
export { parseFormula, type Formula, type Term, type TermList, type RandomTerm } from './formula/terms.ts';
export { fitLmm, type FitOptions, type LmmFit, type VarianceComponent } from './lmm/fit.ts';
export { fixefInference, fixefIntervals, INTERVAL_METHODS, type FixefInference, type FixefInterval, type IntervalMethod } from './lmm/intervals.ts';
export { defineStudy, isStudy, chosenEstimators, referenceEstimator, type Study, type StudyDefinition, type Design, type Condition, type Level, type Estimate, type Estimator, type EstimatorResult, type LmmEstimate } from './study/define.ts';
export { lmm, fitRows, type EstimateRow, type LmmEstimatorOptions } from './study/estimates.ts';
export { runReplicate, replicateData, type EstimatorRows } from './study/replicate.ts';
export { replayReplicate, type ReplayOptions, type Replay, type JournalComparison } from './study/replay.ts';
export { conditions, type IndexedCondition } from './study/design.ts';
export { runStudy, type RunOptions, type RunResult } from './study/runner.ts';
export { PerformanceAccumulator, type Performance } from './summary/performance.ts';
export { PairedEstimates, relativePrecision, type RelativePrecision, type RelativePrecisionInput } from './summary/relativePrecision.ts';
export type { SummaryRow, Failure } from './summary/tables.ts';
export { readResults, type StudyResults } from './report/results.ts';
export { writeReport, renderSvg, readSummary, type ReportOptions, type RunInfo } from './report/html.ts';
export { biasChart, coverageChart, seChart, failureChart, type ChartRow, type ChartSpec } from './report/charts.ts';
export { mergeShards, type MergeOptions, type MergeResult } from './study/merge.ts';
export { parseShard, shardFromEnvironment, shardRanges, type Shard } from './study/shard.ts';
export { writeSlurmScripts, type SlurmOptions } from './study/slurm.ts';
