import { PDFParse } from 'pdf-parse';

/** Text of each page of a PDF, as pdf-parse extracts it. */
export async function pdfPages(bytes: Uint8Array): Promise<string[]> {
  const parser = new PDFParse({ data: new Uint8Array(bytes) });
  try {
    const r = await parser.getText();
    return r.pages.map((p: { text: string }) => p.text);
  } finally {
    await parser.destroy();
  }
}

/** Extraction inserts spaces and line breaks where the layout wraps: compare without whitespace. */
export const squash = (s: string) => s.replace(/[\s\u3000]+/g, '');
