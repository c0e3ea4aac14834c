/** What an uploaded file is, by its content (never its name), and whether it is within the limits. */
export interface UploadLimits {
  maxBytes: number;
  maxPages: number;
  /** Width × height of an image, in pixels. */
  maxPixels: number;
}

export const DEFAULT_UPLOAD_LIMITS: UploadLimits = { maxBytes: 20 * 1024 * 1024, maxPages: 10, maxPixels: 60_000_000 };

export type Media = 'pdf' | 'jpeg' | 'png' | 'tiff' | 'webp' | 'xlsx' | 'text';
export const MEDIA_TYPES: Record<Media, string> = {
  pdf: 'application/pdf',
  jpeg: 'image/jpeg',
  png: 'image/png',
  tiff: 'image/tiff',
  webp: 'image/webp',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  text: 'text/plain; charset=utf-8',
};

/** The file's type from its first bytes; undefined when it is none the desk takes. */
export function sniff(b: Uint8Array): Media | undefined {
  const head = Buffer.from(b.subarray(0, 1024)).toString('latin1');
  if (head.includes('%PDF-')) return 'pdf';
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg';
  if (b[0] === 0x89 && head.startsWith('\x89PNG')) return 'png';
  if (head.startsWith('II*\0') || head.startsWith('MM\0*')) return 'tiff';
  if (head.startsWith('RIFF') && head.slice(8, 12) === 'WEBP') return 'webp';
  if (head.startsWith('PK\x03\x04')) return Buffer.from(b).includes('xl/workbook.xml') ? 'xlsx' : undefined;
  if (isUtf8Text(b)) return 'text';
  return undefined;
}

function isUtf8Text(b: Uint8Array): boolean {
  try {
    const s = new TextDecoder('utf-8', { fatal: true }).decode(b.subarray(0, Math.min(b.length, 1 << 20)).subarray(0, lastCharBoundary(b)));
    return !/[\0-\x08\x0e-\x1f]/.test(s);
  } catch {
    return false;
  }
}

/** Cut at most 1 MB without splitting a UTF-8 character. */
function lastCharBoundary(b: Uint8Array): number {
  let end = Math.min(b.length, 1 << 20);
  if (end === b.length) return end;
  while (end > 0 && (b[end] & 0xc0) === 0x80) end--;
  return end;
}

const SCAN_TYPES: Media[] = ['pdf', 'jpeg', 'png', 'tiff', 'webp'];

/** Why an uploaded form or scan is refused before it is read; undefined when it may be read. */
export async function inspectUpload(bytes: Uint8Array, limits: UploadLimits): Promise<string | undefined> {
  if (bytes.length > limits.maxBytes) return `文件过大（上限 ${Math.round(limits.maxBytes / 1048576)} MB）`;
  const media = sniff(bytes);
  if (!media || !SCAN_TYPES.includes(media)) return '文件内容不是 PDF 或图像（PNG、JPEG、TIFF、WebP），与文件名无关';
  if (media === 'pdf') {
    const { PDFDocument } = await import('pdf-lib');
    let pages: number;
    try {
      pages = (await PDFDocument.load(bytes, { ignoreEncryption: true, updateMetadata: false, throwOnInvalidObject: false })).getPageCount();
    } catch (e) {
      return `PDF 文件已损坏，无法打开（${(e as Error).message.slice(0, 80)}）`;
    }
    if (pages > limits.maxPages) return `页数过多（${pages} 页，上限 ${limits.maxPages} 页）`;
    return undefined;
  }
  const { default: sharp } = await import('sharp');
  try {
    const m = await sharp(bytes, { limitInputPixels: false }).metadata(); // the header only
    const px = (m.width ?? 0) * (m.height ?? 0);
    if (px > limits.maxPixels) return `图像尺寸过大（${m.width}×${m.height} 像素，上限约 ${Math.round(limits.maxPixels / 1e6)} 百万像素）`;
    if ((m.pages ?? 1) > limits.maxPages) return `页数过多（${m.pages} 页，上限 ${limits.maxPages} 页）`;
  } catch (e) {
    return `图像已损坏，无法打开（${(e as Error).message.slice(0, 80)}）`;
  }
  return undefined;
}
