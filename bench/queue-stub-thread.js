// Stand-in for dist/queue/worker.js: returns a small fixed "PDF" at once, so that a queued batch
// measures the queue's own cost per job (submit, fetch, result, check, write), not rendering.
const bytes = new TextEncoder().encode('%PDF-1.7 stub\n'.repeat(200));
export default function stub() {
  return { status: 'ok', rendered: [{ format: 'pdf', bytes }], warnings: [] };
}
