/// Python's notion of whitespace (`str.isspace`), which drives `str.split()` with no argument and
/// `str.rstrip()` with no argument: both are used by sacrebleu (`BLEU._preprocess_segment` strips the
/// right end of each segment, `TokenizerRegexp.__call__` collapses runs with `' '.join(line.split())`).
///
/// The set was enumerated from CPython 3.11 (`[c for c in range(0x110000) if chr(c).isspace()]`):
/// the ASCII controls TAB…CR and FS…US, SPACE, NEL, NBSP, OGHAM SPACE MARK, EN QUAD…HAIR SPACE,
/// LINE/PARAGRAPH SEPARATOR, NARROW NBSP, MEDIUM MATHEMATICAL SPACE and IDEOGRAPHIC SPACE.
/// ZERO WIDTH SPACE (U+200B) is *not* whitespace to Python and so is not here.
enum PythonWhitespace {
    static func contains(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09...0x0D, 0x1C...0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A,
             0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
            return true
        default:
            return false
        }
    }

    /// `str.split()` with no separator: maximal runs of non-whitespace, no empty pieces.
    static func split(_ scalars: [Unicode.Scalar]) -> [[Unicode.Scalar]] {
        var pieces: [[Unicode.Scalar]] = []
        var current: [Unicode.Scalar] = []
        for scalar in scalars {
            if contains(scalar) {
                if !current.isEmpty {
                    pieces.append(current)
                    current.removeAll(keepingCapacity: true)
                }
            } else {
                current.append(scalar)
            }
        }
        if !current.isEmpty { pieces.append(current) }
        return pieces
    }

    /// `str.rstrip()` with no argument.
    static func stripTrailing(_ scalars: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var end = scalars.count
        while end > 0, contains(scalars[end - 1]) { end -= 1 }
        return Array(scalars[0..<end])
    }
}
