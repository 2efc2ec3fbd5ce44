/// `${…}` interpolation in manifest strings. `$${` writes a literal `${`.
///
/// References: `${params.PATH}`, `${matrix.AXIS}`, `${out}` (this stage's fresh output folder),
/// `${STAGE.out}` (an upstream's output) and `${STAGE[*].out}` (every member of a matrix stage).
struct Template {
    enum Piece: Equatable {
        case literal(String)
        case reference(String)
    }

    var pieces: [Piece]

    /// Parses `text`; an unterminated `${` is an error at `location`. Scans UTF-8 bytes: `$`, `{`
    /// and `}` are ASCII, so byte offsets are safe cut points.
    init(parsing text: String, at location: SourceLocation) throws {
        let bytes = Array(text.utf8)
        guard bytes.contains(UInt8(ascii: "$")) else {
            pieces = [.literal(text)]
            return
        }
        var pieces: [Piece] = []
        var literal: [UInt8] = []
        var i = 0
        let dollar = UInt8(ascii: "$"), open = UInt8(ascii: "{"), close = UInt8(ascii: "}")
        while i < bytes.count {
            if bytes[i] == dollar, i + 2 < bytes.count, bytes[i + 1] == dollar, bytes[i + 2] == open {
                literal += [dollar, open]
                i += 3
            } else if bytes[i] == dollar, i + 1 < bytes.count, bytes[i + 1] == open {
                guard let end = bytes[(i + 2)...].firstIndex(of: close) else {
                    throw ManifestError.invalidValue(location, field: "interpolation", reason: "'${' without a closing '}' in \"\(text)\"")
                }
                if !literal.isEmpty { pieces.append(.literal(String(decoding: literal, as: UTF8.self))); literal = [] }
                var lo = i + 2, hi = end
                while lo < hi, bytes[lo] == 0x20 || bytes[lo] == 0x09 { lo += 1 }
                while hi > lo, bytes[hi - 1] == 0x20 || bytes[hi - 1] == 0x09 { hi -= 1 }
                let name = String(decoding: bytes[lo..<hi], as: UTF8.self)
                pieces.append(.reference(name))
                i = end + 1
            } else {
                literal.append(bytes[i])
                i += 1
            }
        }
        if !literal.isEmpty || pieces.isEmpty { pieces.append(.literal(String(decoding: literal, as: UTF8.self))) }
        self.pieces = pieces
    }

    var references: [String] {
        pieces.compactMap { if case .reference(let r) = $0 { return r }; return nil }
    }

    /// For `STAGE.out` / `STAGE[*].out` references: the stage name and whether all members are meant.
    static func outputReference(_ reference: String) -> (stage: String, allMembers: Bool)? {
        guard reference.hasSuffix(".out"), reference != "out" else { return nil }
        var stage = String(reference.dropLast(4))
        let all = stage.hasSuffix("[*]")
        if all { stage.removeLast(3) }
        return (stage, all)
    }
}

import Foundation
