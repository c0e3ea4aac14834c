// The desk's JSON API (docs/api.md). Errors come back as { error } or a list of { path, label, message }.
export class ApiError extends Error {
  constructor(status, body) {
    super(Array.isArray(body) ? body.map((i) => `${i.label}：${i.message}`).join('；') : body?.error ?? `请求失败（${status}）`);
    this.status = status;
    this.issues = Array.isArray(body) ? body : undefined;
    this.body = body;
  }
}

async function call(method, path, body, headers = {}) {
  const init = { method, headers: { ...headers }, credentials: 'same-origin' };
  if (body instanceof FormData) init.body = body;
  else if (body !== undefined) {
    init.headers['content-type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const r = await fetch(path, init);
  if (r.status === 401 && path !== '/api/login') {
    location.hash = '#/login';
    throw new ApiError(401, { error: '请先登录' });
  }
  const type = r.headers.get('content-type') ?? '';
  if (!r.ok) throw new ApiError(r.status, type.includes('json') ? await r.json() : { error: await r.text() });
  return type.includes('json') ? r.json() : r.blob();
}

export const api = {
  get: (p) => call('GET', p),
  post: (p, b, h) => call('POST', p, b, h),
  put: (p, b) => call('PUT', p, b),
  del: (p) => call('DELETE', p),
};

/** Downloads a file the API makes, under the name the server gives. */
export async function download(method, path, body) {
  const r = await fetch(path, { method, credentials: 'same-origin', headers: body ? { 'content-type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined });
  if (!r.ok) throw new ApiError(r.status, (r.headers.get('content-type') ?? '').includes('json') ? await r.json() : { error: await r.text() });
  const cd = r.headers.get('content-disposition') ?? '';
  const m = /filename\*=UTF-8''([^;]+)/.exec(cd);
  const name = m ? decodeURIComponent(m[1]) : 'download';
  const url = URL.createObjectURL(await r.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}
