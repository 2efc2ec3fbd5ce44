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

    /// Parses `text`; an unterminated `${` is an error at `location`.
    init(parsing text: String, at location: SourceLocation) throws {
        var pieces: [Piece] = []
        var literal = ""
        var index = text.startIndex
        while index < text.endIndex {
            let rest = text[index...]
            if rest.hasPrefix("$${") {
                literal += "${"
                index = text.index(index, offsetBy: 3)
            } else if rest.hasPrefix("${") {
                guard let close = rest.firstIndex(of: "}") else {
                    throw ManifestError.invalidValue(location, field: "interpolation", reason: "'${' without a closing '}' in \"\(text)\"")
                }
                if !literal.isEmpty { pieces.append(.literal(literal)); literal = "" }
                let name = String(text[text.index(index, offsetBy: 2)..<close]).trimmingCharacters(in: .whitespaces)
                pieces.append(.reference(name))
                index = text.index(after: close)
            } else {
                literal.append(text[index])
                index = text.index(after: index)
            }
        }
        if !literal.isEmpty || pieces.isEmpty { pieces.append(.literal(literal)) }
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
