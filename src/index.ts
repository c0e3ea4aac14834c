/** bangban's library API. */
export { allKinds, getKind } from './kinds/index.js';
export { Kind, type KindDefinition, type Values } from './core/kind.js';
export type { Blank, Block, Cell, DocModel, Span } from './core/model.js';
export { validateRecord, assertValid, type ValidationResult } from './core/records.js';
export { UserError, ValidationError, formatIssue, type Issue } from './core/errors.js';
export { renderDocument, formats, type RenderOptions } from './render.js';
export { renderPdf, documentModel } from './pdf/index.js';
export { templateBlocks, type TemplateOptions } from './text/index.js';
export { blankFor, blankPieces } from './core/blank.js';
export { loadFontConfig, defaultFonts, type FontConfig } from './pdf/fonts.js';
export * from './core/identifiers.js';
export { chineseDate, chineseDateTime } from './core/dates.js';
export { parseForm, parseFile, parseForms, parseFileForms, isFormFailure, ParseFailure, type ParseResult, type ParseOptions, type FieldInfo, type FormReading, type FormFailure, type PageRange } from './parse/index.js';
export { ingestFiles, collectPdfs, writeOutputs, type IngestResult, type IngestSummary } from './parse/ingest.js';
export { parseScan, ocrPages, parseOcrPages, scanType, REVIEW_THRESHOLD, type ScanResult, type ScanField, type ScanOptions, type OcrPage, type OcrLine, type OcrCheckbox } from './ocr/index.js';
export { runBatch, type BatchOptions, type BatchResult } from './batch/run.js';
export { writeTemplate as writeSpreadsheetTemplate } from './batch/template.js';
