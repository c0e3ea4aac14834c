/**
 * PDFs encrypted with an owner password only (anyone may open them; the password guards editing):
 * pdf.js decrypts their text itself, but pdf-lib, which gives the parser the ruled lines and the
 * form fields, reads streams and strings as stored. This decrypts them in pdf-lib's object table
 * with the empty user password, per the standard security handler (ISO 32000-2 §7.6.4): RC4 and
 * AES-128 (revisions 2–4) and AES-256 (revisions 5 and 6). A file that needs a user password is
 * left as it is (pdf.js then reports it).
 */
import { createCipheriv, createDecipheriv, createHash } from 'node:crypto';
import { PDFArray, PDFDict, PDFHexString, PDFName, PDFNumber, PDFObjectParser, PDFObjectStreamParser, PDFRawStream, PDFRef, PDFString, type PDFDocument, type PDFObject } from 'pdf-lib';

const PAD = Buffer.from('28bf4e5e4e758a4164004e56fffa01082e2e00b6d0683e802f0ca9fe6453697a', 'hex');

type Cipher = { kind: 'rc4' | 'aes'; key: Buffer; perObject: boolean };

const bytesOf = (o: PDFObject | undefined): Buffer | undefined => (o instanceof PDFString || o instanceof PDFHexString ? Buffer.from(o.asBytes()) : undefined);
const num = (o: PDFObject | undefined, d = 0) => (o instanceof PDFNumber ? o.asNumber() : d);

function rc4(key: Buffer, data: Uint8Array): Buffer {
  const s = Array.from({ length: 256 }, (_, i) => i);
  for (let i = 0, j = 0; i < 256; i++) {
    j = (j + s[i] + key[i % key.length]) & 255;
    [s[i], s[j]] = [s[j], s[i]];
  }
  const out = Buffer.alloc(data.length);
  for (let k = 0, i = 0, j = 0; k < data.length; k++) {
    i = (i + 1) & 255;
    j = (j + s[i]) & 255;
    [s[i], s[j]] = [s[j], s[i]];
    out[k] = data[k] ^ s[(s[i] + s[j]) & 255];
  }
  return out;
}

function aesDecrypt(key: Buffer, data: Uint8Array): Buffer {
  if (data.length < 32 || data.length % 16) return Buffer.from(data.subarray(16));
  const d = createDecipheriv(key.length === 32 ? 'aes-256-cbc' : 'aes-128-cbc', key, data.subarray(0, 16));
  try {
    return Buffer.concat([d.update(data.subarray(16)), d.final()]);
  } catch {
    const raw = createDecipheriv(key.length === 32 ? 'aes-256-cbc' : 'aes-128-cbc', key, data.subarray(0, 16)).setAutoPadding(false);
    return Buffer.concat([raw.update(data.subarray(16)), raw.final()]);
  }
}

/** Algorithm 2.B (revision 6): the hash of a password with a salt. */
function hash2B(password: Buffer, salt: Buffer, revision: number): Buffer {
  let k = createHash('sha256').update(password).update(salt).digest();
  if (revision < 6) return k;
  for (let round = 0; ; round++) {
    const k1 = Buffer.concat(Array(64).fill(Buffer.concat([password, k])));
    const e = createCipheriv('aes-128-cbc', k.subarray(0, 16), k.subarray(16, 32)).setAutoPadding(false).update(k1);
    let sum = 0;
    for (let i = 0; i < 16; i++) sum += e[i];
    k = createHash(['sha256', 'sha384', 'sha512'][sum % 3]).update(e).digest();
    if (round >= 63 && e[e.length - 1] <= round - 31) return k.subarray(0, 32);
  }
}

/** The file key for the empty user password, or undefined when the file needs a real one. */
function fileCipher(encrypt: PDFDict, id: Buffer): Cipher | undefined {
  if (encrypt.get(PDFName.of('Filter'))?.toString() !== '/Standard') return undefined;
  const v = num(encrypt.get(PDFName.of('V')));
  const r = num(encrypt.get(PDFName.of('R')));
  const o = bytesOf(encrypt.get(PDFName.of('O')));
  const u = bytesOf(encrypt.get(PDFName.of('U')));
  if (!o || !u) return undefined;
  if (r >= 5) {
    const ue = bytesOf(encrypt.get(PDFName.of('UE')));
    if (!ue || u.length < 48 || !hash2B(Buffer.alloc(0), u.subarray(32, 40), r).equals(u.subarray(0, 32))) return undefined;
    const inter = hash2B(Buffer.alloc(0), u.subarray(40, 48), r);
    const key = createDecipheriv('aes-256-cbc', inter, Buffer.alloc(16)).setAutoPadding(false).update(ue.subarray(0, 32));
    return { kind: 'aes', key, perObject: false };
  }
  const length = r === 2 ? 5 : num(encrypt.get(PDFName.of('Length')), 40) / 8;
  const p = Buffer.alloc(4);
  p.writeInt32LE(num(encrypt.get(PDFName.of('P'))));
  const encryptMetadata = encrypt.get(PDFName.of('EncryptMetadata'))?.toString() !== 'false';
  let key = createHash('md5')
    .update(PAD)
    .update(o.subarray(0, 32))
    .update(p)
    .update(id)
    .update(r >= 4 && !encryptMetadata ? Buffer.from([255, 255, 255, 255]) : Buffer.alloc(0))
    .digest();
  if (r >= 3) for (let i = 0; i < 50; i++) key = createHash('md5').update(key.subarray(0, length)).digest();
  key = key.subarray(0, length);
  // the user password "" is right when U matches (revision 3+: its first 16 bytes)
  const check = r === 2 ? rc4(key, PAD) : (() => {
    let x = rc4(key, createHash('md5').update(PAD).update(id).digest());
    for (let i = 1; i <= 19; i++) x = rc4(Buffer.from(key.map((b) => b ^ i)), x);
    return x;
  })();
  if (!check.subarray(0, 16).equals(u.subarray(0, 16))) return undefined;
  const cfm = v === 4 ? ((encrypt.get(PDFName.of('CF')) as PDFDict | undefined)?.get(PDFName.of('StdCF')) as PDFDict | undefined)?.get(PDFName.of('CFM'))?.toString() : undefined;
  return { kind: cfm === '/AESV2' ? 'aes' : 'rc4', key, perObject: true };
}

function objectKey(c: Cipher, ref: PDFRef): Buffer {
  if (!c.perObject) return c.key;
  const n = ref.objectNumber;
  const g = ref.generationNumber;
  const h = createHash('md5')
    .update(c.key)
    .update(Buffer.from([n & 255, (n >> 8) & 255, (n >> 16) & 255, g & 255, (g >> 8) & 255]))
    .update(c.kind === 'aes' ? Buffer.from('sAlT') : Buffer.alloc(0))
    .digest();
  return h.subarray(0, Math.min(c.key.length + 5, 16));
}

const decrypt = (c: Cipher, key: Buffer, data: Uint8Array) => (c.kind === 'aes' ? aesDecrypt(key, data) : rc4(key, data));

/** Strings inside an object (form values, field names), decrypted in place. */
function decryptStrings(c: Cipher, key: Buffer, o: PDFObject): PDFObject {
  if (o instanceof PDFString || o instanceof PDFHexString) return PDFHexString.of(decrypt(c, key, o.asBytes()).toString('hex'));
  if (o instanceof PDFArray) {
    for (let i = 0; i < o.size(); i++) o.set(i, decryptStrings(c, key, o.get(i)));
  } else if (o instanceof PDFDict) {
    for (const [k, v] of o.entries()) o.set(k, decryptStrings(c, key, v));
  }
  return o;
}

/** Decrypt an owner-password-only PDF loaded by pdf-lib (ignoreEncryption), in place; false when it cannot be. */
/**
 * Object streams, found in the file's bytes: pdf-lib unpacks them while loading and keeps only what
 * it unpacked — nothing, when they were encrypted.
 */
function packedObjects(doc: PDFDocument, bytes: Uint8Array): [PDFRef, PDFRawStream][] {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  const out: [PDFRef, PDFRawStream][] = [];
  for (const m of text.matchAll(/(\d+)\s+(\d+)\s+obj\s*(?=<<)/g)) {
    const head = text.slice(m.index + m[0].length, m.index + m[0].length + 400);
    if (!/\/Type\s*\/ObjStm/.test(head.slice(0, head.indexOf('stream') >>> 0))) continue;
    try {
      const obj = PDFObjectParser.forBytes(bytes.subarray(m.index + m[0].length), doc.context).parseObject();
      if (obj instanceof PDFRawStream) out.push([PDFRef.of(Number(m[1]), Number(m[2])), obj]);
    } catch {
      /* a damaged object stream: its objects stay unread */
    }
  }
  return out;
}

export async function decryptOwnerOnly(doc: PDFDocument, bytes: Uint8Array): Promise<boolean> {
  const trailer = doc.context.trailerInfo;
  const encRef = trailer.Encrypt;
  if (!encRef) return true;
  const encrypt = doc.context.lookup(encRef);
  const idArray = trailer.ID instanceof PDFArray ? trailer.ID : undefined;
  const id = bytesOf(idArray?.get(0)) ?? Buffer.alloc(0);
  if (!(encrypt instanceof PDFDict)) return false;
  const c = fileCipher(encrypt, id);
  if (!c) return false;
  const objectStreams: PDFRawStream[] = [];
  for (const [ref, stream] of packedObjects(doc, bytes)) objectStreams.push(PDFRawStream.of(stream.dict, decrypt(c, objectKey(c, ref), stream.contents)));
  for (const [ref, obj] of doc.context.enumerateIndirectObjects()) {
    if (obj === encrypt || (encRef instanceof PDFRef && ref === encRef)) continue;
    const key = objectKey(c, ref);
    if (obj instanceof PDFRawStream) {
      const type = obj.dict.get(PDFName.of('Type'))?.toString();
      if (type === '/XRef') continue;
      decryptStrings(c, key, obj.dict);
      const plain = PDFRawStream.of(obj.dict, decrypt(c, key, obj.contents));
      doc.context.assign(ref, plain);
    } else {
      const plain = decryptStrings(c, key, obj);
      if (plain !== obj) doc.context.assign(ref, plain);
    }
  }
  // objects packed in object streams could not be read while the streams were encrypted
  for (const s of objectStreams) await PDFObjectStreamParser.forStream(s).parseIntoContext();
  if (objectStreams.length) Object.assign(doc, { catalog: doc.context.lookup(trailer.Root) }); // the catalog pdf-lib took at load was one of them
  delete (trailer as { Encrypt?: unknown }).Encrypt;
  return true;
}
