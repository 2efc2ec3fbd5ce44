/// UTF-8 ↔ Unicode scalar values, on plain arrays: the pipeline works on `[UInt32]` scalars and
/// `[UInt8]` bytes and never builds a `String` per document on the hot path.
package enum UTF8Codec {
    /// Decodes `bytes` into `scalars` (cleared first). Returns false on any invalid sequence
    /// (overlong forms, surrogates, truncation, values above U+10FFFF).
    package static func decode(_ bytes: UnsafeBufferPointer<UInt8>, into scalars: inout [UInt32]) -> Bool {
        // At most one scalar per byte: sized once, written through a raw pointer, then trimmed (the
        // storage is kept from call to call).
        scalars.removeAll(keepingCapacity: true)
        scalars.append(contentsOf: repeatElement(0, count: bytes.count))
        let n = bytes.count
        let decoded: Int? = scalars.withUnsafeMutableBufferPointer { out -> Int? in
            var i = 0, o = 0
            while i < n {
                // ASCII runs, eight bytes at a time.
                if i + 8 <= n, let base = bytes.baseAddress,
                   UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                    for k in 0..<8 { out[o + k] = UInt32(base[i + k]) }
                    i += 8; o += 8
                    continue
                }
                let b0 = UInt32(bytes[i])
                if b0 < 0x80 { out[o] = b0; o += 1; i += 1; continue }
                if b0 < 0xC2 { return nil }
                if b0 < 0xE0 {
                    guard i + 1 < n, bytes[i + 1] & 0xC0 == 0x80 else { return nil }
                    out[o] = (b0 & 0x1F) << 6 | UInt32(bytes[i + 1] & 0x3F); o += 1; i += 2; continue
                }
                if b0 < 0xF0 {
                    guard i + 2 < n, bytes[i + 1] & 0xC0 == 0x80, bytes[i + 2] & 0xC0 == 0x80 else { return nil }
                    let v = (b0 & 0x0F) << 12 | UInt32(bytes[i + 1] & 0x3F) << 6 | UInt32(bytes[i + 2] & 0x3F)
                    if v < 0x800 || (0xD800...0xDFFF).contains(v) { return nil }
                    out[o] = v; o += 1; i += 3; continue
                }
                guard b0 < 0xF5, i + 3 < n, bytes[i + 1] & 0xC0 == 0x80, bytes[i + 2] & 0xC0 == 0x80, bytes[i + 3] & 0xC0 == 0x80 else { return nil }
                let v = (b0 & 0x07) << 18 | UInt32(bytes[i + 1] & 0x3F) << 12 | UInt32(bytes[i + 2] & 0x3F) << 6 | UInt32(bytes[i + 3] & 0x3F)
                if v < 0x10000 || v > 0x10FFFF { return nil }
                out[o] = v; o += 1; i += 4
            }
            return o
        }
        guard let decoded else { scalars.removeAll(keepingCapacity: true); return false }
        scalars.removeLast(scalars.count - decoded)
        return true
    }

    /// Appends the UTF-8 encoding of one scalar value.
    @inline(__always) package static func append(_ v: UInt32, to out: inout [UInt8]) {
        if v < 0x80 {
            out.append(UInt8(v))
        } else if v < 0x800 {
            out.append(UInt8(0xC0 | (v >> 6))); out.append(UInt8(0x80 | (v & 0x3F)))
        } else if v < 0x10000 {
            out.append(UInt8(0xE0 | (v >> 12))); out.append(UInt8(0x80 | ((v >> 6) & 0x3F))); out.append(UInt8(0x80 | (v & 0x3F)))
        } else {
            out.append(UInt8(0xF0 | (v >> 18))); out.append(UInt8(0x80 | ((v >> 12) & 0x3F)))
            out.append(UInt8(0x80 | ((v >> 6) & 0x3F))); out.append(UInt8(0x80 | (v & 0x3F)))
        }
    }

    /// Encodes a slice of scalars as UTF-8.
    package static func encode(_ scalars: ArraySlice<UInt32>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(scalars.count + scalars.count / 2)
        for v in scalars { append(v, to: &out) }
        return out
    }

    /// A `String` from scalar values (for reports and samples, not hot paths).
    package static func string(_ scalars: ArraySlice<UInt32>) -> String {
        String(decoding: encode(scalars), as: UTF8.self)
    }

    /// The scalar values of a `String`.
    package static func scalars(_ text: String) -> [UInt32] { text.unicodeScalars.map(\.value) }
}
