/**
 * Java text and byte conversions the function families share: ksqlDB's BytesUtils encodings
 * (hex, utf8, ascii, MIME base64), String.getBytes/new String for US-ASCII and UTF-8, and
 * commons-lang's unescapeJava.
 */

export type Encoding = 'HEX' | 'UTF8' | 'ASCII' | 'BASE64';

/** BytesUtils.Encoding.from: case-insensitive; throws on anything else (null included). */
export function encodingOf(name: string | null): Encoding {
  const lower = name?.toLowerCase();
  switch (lower) {
    case 'hex':
      return 'HEX';
    case 'utf8':
      return 'UTF8';
    case 'ascii':
      return 'ASCII';
    case 'base64':
      return 'BASE64';
    default:
      throw new Error(`Unknown encoding type '${name}'. Supported formats are 'hex', 'utf8', 'ascii', and 'base64'.`);
  }
}

/** BytesUtils.encode: bytes to text. */
export function bytesToText(bytes: Uint8Array, encoding: Encoding): string {
  switch (encoding) {
    case 'HEX':
      return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex').toUpperCase();
    case 'UTF8':
      return decodeUtf8(bytes);
    case 'ASCII':
      return decodeAscii(bytes);
    case 'BASE64':
      return mimeBase64(bytes);
    default: {
      const unreachable: never = encoding;
      throw new Error(`Unknown encoding ${String(unreachable)}`);
    }
  }
}

/** BytesUtils.decode: text to bytes. */
export function textToBytes(text: string, encoding: Encoding): Uint8Array {
  switch (encoding) {
    case 'HEX':
      return decodeHex(text);
    case 'UTF8':
      return encodeUtf8(text);
    case 'ASCII':
      return encodeAscii(text);
    case 'BASE64':
      return decodeMimeBase64(text);
    default: {
      const unreachable: never = encoding;
      throw new Error(`Unknown encoding ${String(unreachable)}`);
    }
  }
}

const UTF8_DECODER = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });
const UTF8_ENCODER = new TextEncoder();

/** new String(bytes, UTF_8): malformed input becomes U+FFFD. */
export function decodeUtf8(bytes: Uint8Array): string {
  return UTF8_DECODER.decode(bytes);
}

/** String.getBytes(UTF_8): a lone surrogate becomes '?'. */
export function encodeUtf8(text: string): Uint8Array {
  return UTF8_ENCODER.encode(text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '?'));
}

/** new String(bytes, US_ASCII): bytes above 0x7F become U+FFFD. */
export function decodeAscii(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += b < 0x80 ? String.fromCharCode(b) : '\uFFFD';
  return out;
}

/** String.getBytes(US_ASCII): each non-ASCII code point becomes '?'. */
export function encodeAscii(text: string): Uint8Array {
  const out: number[] = [];
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    out.push(cp < 0x80 ? cp : 0x3f);
  }
  return Uint8Array.from(out);
}

/** Hex digits (either case, even count) to bytes. */
export function decodeHex(text: string): Uint8Array {
  if (text.length % 2 !== 0) throw new Error(`Invalid hex string length ${text.length}: ${text}`);
  if (!/^[0-9a-fA-F]*$/.test(text)) throw new Error(`Unrecognized hex character in: ${text}`);
  return Uint8Array.from(Buffer.from(text, 'hex'));
}

/** java.util.Base64.getMimeEncoder(): lines of 76 characters separated by CRLF. */
export function mimeBase64(bytes: Uint8Array): string {
  const plain = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
  if (plain.length <= 76) return plain;
  const lines: string[] = [];
  for (let i = 0; i < plain.length; i += 76) lines.push(plain.slice(i, i + 76));
  return lines.join('\r\n');
}

/** java.util.Base64.getMimeDecoder(): characters outside the alphabet are ignored. */
export function decodeMimeBase64(text: string): Uint8Array {
  const pad = text.indexOf('=');
  const data = (pad < 0 ? text : text.slice(0, pad)).replace(/[^A-Za-z0-9+/]/g, '');
  if (data.length % 4 === 1) throw new Error('Last unit does not have enough valid bits');
  return Uint8Array.from(Buffer.from(data, 'base64'));
}

/** commons-codec Base64.decodeBase64: lenient, anything outside the alphabet is skipped. */
export function decodeLenientBase64(text: string): Uint8Array {
  const data = text.replace(/[^A-Za-z0-9+/\-_]/g, '').replace(/-/g, '+').replace(/_/g, '/');
  const usable = data.length - (data.length % 4 === 1 ? 1 : 0);
  return Uint8Array.from(Buffer.from(data.slice(0, usable), 'base64'));
}

export function plainBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** commons-lang StringEscapeUtils.unescapeJava. */
export function unescapeJava(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c !== '\\') {
      out += c;
      i++;
      continue;
    }
    if (i + 1 >= text.length) break; // a trailing lone backslash is dropped
    const d = text[i + 1];
    if (d === 'u') {
      let j = i + 1;
      while (text[j] === 'u') j++;
      if (text[j] === '+') j++;
      const hex = text.slice(j, j + 4);
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) {
        throw new Error(`Unable to parse unicode value: ${hex}`);
      }
      out += String.fromCharCode(parseInt(hex, 16));
      i = j + 4;
      continue;
    }
    if (d >= '0' && d <= '7') {
      // Up to three octal digits, the first at most 3 when there are three.
      let j = i + 2;
      const max = d <= '3' ? i + 4 : i + 3;
      while (j < max && j < text.length && text[j] >= '0' && text[j] <= '7') j++;
      out += String.fromCharCode(parseInt(text.slice(i + 1, j), 8));
      i = j;
      continue;
    }
    const simple: Record<string, string> = { b: '\b', n: '\n', t: '\t', f: '\f', r: '\r', '"': '"', "'": "'", '\\': '\\' };
    // An unknown escape drops its backslash.
    out += simple[d] ?? d;
    i += 2;
  }
  return out;
}
