import { UserError } from '../core/errors.js';
import { autoProgress, barProgress, lineProgress, silentProgress, type Progress } from '../batch/progress.js';

export const PROGRESS_HELP = '进度显示：auto（终端显示进度条，否则定期输出一行）、bar、lines、none';

/** The --progress option of batch and ingest; `unit` names what is counted (份, 个文件). */
export function progressFor(mode: string, unit?: string): Progress {
  switch (mode) {
    case 'bar':
      return barProgress(process.stderr, unit);
    case 'lines':
      return lineProgress(undefined, undefined, unit);
    case 'none':
      return silentProgress;
    case 'auto':
      return autoProgress(process.stderr, unit);
    default:
      throw new UserError(`--progress 可用 auto、bar、lines、none，不认识“${mode}”`);
  }
}
