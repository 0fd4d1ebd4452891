import {
  bytesToText,
  decodeAscii,
  decodeLenientBase64,
  decodeMimeBase64,
  encodeAscii,
  encodeUtf8,
  encodingOf,
  textToBytes,
  unescapeJava,
} from '../../src/functions/text.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('encodings', () => {
  it('names them in any case and rejects others', () => {
    expect(encodingOf('Base64')).toBe('BASE64');
    expect(() => encodingOf(null)).toThrow(/Unknown encoding type 'null'/);
  });

  it('converts like java.lang.String', () => {
    expect(hex(encodeAscii('aé😀'))).toBe('613f3f');
    expect(decodeAscii(Uint8Array.of(0x61, 0xc3))).toBe('a\ufffd');
    expect(hex(encodeUtf8('\ud800x'))).toBe('3f78');
    expect(bytesToText(Uint8Array.of(0xab, 0x01), 'HEX')).toBe('AB01');
    expect(hex(textToBytes('aB01', 'HEX'))).toBe('ab01');
    expect(() => textToBytes('abc', 'HEX')).toThrow();
  });

  it('decodes base64 leniently or as MIME', () => {
    expect(hex(decodeMimeBase64('YW\r\nJj'))).toBe('616263');
    expect(hex(decodeMimeBase64('YQ'))).toBe('61');
    expect(() => decodeMimeBase64('Y')).toThrow();
    expect(hex(decodeLenientBase64('Y W*J j'))).toBe('616263');
  });
});

describe('unescapeJava', () => {
  it('unescapes like commons-lang', () => {
    expect(unescapeJava('\\u004b\\uu0041\\t\\101\\q\\')).toBe('K\u0041\tAq');
    expect(() => unescapeJava('\\u00zz')).toThrow(/Unable to parse unicode value/);
  });
});
