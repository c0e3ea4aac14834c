import type ExcelJSModule from 'exceljs';

/**
 * exceljs, loaded when a spreadsheet is first read or written: it is a third of the CLI's start-up
 * time (~0.3 s), which every other command (render, validate, demo …) would otherwise pay.
 */
export async function excel(): Promise<typeof ExcelJSModule> {
  return (await import('exceljs')).default;
}
