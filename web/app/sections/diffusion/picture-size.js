// A picture's size read from its header, before any decoding: a small file can claim
// a huge picture (a "decompression bomb"), and decoding it would take gigabytes.
// Knows PNG, JPEG, GIF, WebP and BMP; anything else is "unknown".

const HEAD_BYTES = 64; // enough for every header below except JPEG's, which is walked
const JPEG_SOF = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);
const JPEG_NO_LENGTH = new Set([0x01, 0xd0, 0xd1, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8]);

const bytesOf = async (blob, start, end) => new DataView(await blob.slice(start, end).arrayBuffer());
const text = (view, at, n) => (view.byteLength >= at + n
  ? String.fromCharCode(...new Uint8Array(view.buffer, view.byteOffset + at, n)) : "");

// {kind, width, height}; width and height are null when the header is cut short,
// kind is "unknown" when the file is none of the five.
export async function pictureSize(blob) {
  const head = await bytesOf(blob, 0, HEAD_BYTES);
  const u8 = (at) => head.getUint8(at);
  const size = (kind, width, height) => ({ kind, width, height });
  const has = (n) => head.byteLength >= n;
  try {
    if (text(head, 0, 8) === "\x89PNG\r\n\x1a\n") {
      return has(24) ? size("PNG", head.getUint32(16), head.getUint32(20)) : size("PNG", null, null);
    }
    if (/^GIF8[79]a$/.test(text(head, 0, 6))) {
      return has(10) ? size("GIF", head.getUint16(6, true), head.getUint16(8, true)) : size("GIF", null, null);
    }
    if (text(head, 0, 4) === "RIFF" && text(head, 8, 4) === "WEBP") return webpSize(head);
    if (text(head, 0, 2) === "BM") {
      if (!has(26)) return size("BMP", null, null);
      if (head.getUint32(14, true) === 12) return size("BMP", head.getUint16(18, true), head.getUint16(20, true));
      return size("BMP", Math.abs(head.getInt32(18, true)), Math.abs(head.getInt32(22, true)));
    }
    if (has(3) && u8(0) === 0xff && u8(1) === 0xd8 && u8(2) === 0xff) return await jpegSize(blob);
  } catch (err) {
    if (!(err instanceof RangeError)) throw err; // a header cut short reads past its end
  }
  return size(has(2) && u8(0) === 0xff && u8(1) === 0xd8 ? "JPEG" : "unknown", null, null);
}

// VP8 (lossy), VP8L (lossless) and VP8X (extended) keep their sizes in different places.
function webpSize(head) {
  if (head.byteLength < 30) return { kind: "WebP", width: null, height: null };
  const chunk = text(head, 12, 4);
  const u8 = (at) => head.getUint8(at);
  const u24 = (at) => u8(at) | (u8(at + 1) << 8) | (u8(at + 2) << 16);
  if (chunk === "VP8 ") return { kind: "WebP", width: head.getUint16(26, true) & 0x3fff, height: head.getUint16(28, true) & 0x3fff };
  if (chunk === "VP8L") {
    const bits = head.getUint32(21, true); // 14 bits width - 1, then 14 bits height - 1
    return { kind: "WebP", width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
  }
  if (chunk === "VP8X") return { kind: "WebP", width: u24(24) + 1, height: u24(27) + 1 };
  return { kind: "WebP", width: null, height: null };
}

// JPEG: walk the segments (each says its length) to the first start-of-frame.
async function jpegSize(blob) {
  let at = 2;
  while (at + 9 <= blob.size) {
    const seg = await bytesOf(blob, at, at + 9);
    if (seg.getUint8(0) !== 0xff) break;
    const marker = seg.getUint8(1);
    if (marker === 0xff) { at += 1; continue; } // fill byte
    if (JPEG_SOF.has(marker)) return { kind: "JPEG", width: seg.getUint16(7), height: seg.getUint16(5) };
    if (marker === 0xd9 || marker === 0xda) break; // end of image, or scan data before any frame
    at += JPEG_NO_LENGTH.has(marker) ? 2 : 2 + seg.getUint16(2);
  }
  return { kind: "JPEG", width: null, height: null };
}
