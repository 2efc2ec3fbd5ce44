/// Finds added (special) tokens in raw input, the way HF's `AddedVocabulary` does: a
/// leftmost-longest scan (aho-corasick `LeftmostLongest`) for the tokens with
/// `normalized == false` first, then the same for `normalized == true` tokens inside the
/// text left between matches.
struct AddedTokenMatcher: Sendable {
    /// One segment of the input: plain text to pre-tokenize, or a matched added token.
    enum Segment: Equatable {
        case text(Range<Int>)
        case token(TokenID, Range<Int>)
    }

    private struct Group: Sendable {
        var patterns: [[UInt8]] = []
        var ids: [TokenID] = []
        /// `firstBytes[b]` is true when some pattern starts with byte `b`.
        var firstBytes = [Bool](repeating: false, count: 256)

        var isEmpty: Bool { patterns.isEmpty }

        mutating func add(_ pattern: [UInt8], id: TokenID) {
            guard !pattern.isEmpty else { return }
            patterns.append(pattern)
            ids.append(id)
            firstBytes[Int(pattern[0])] = true
        }
    }

    private var raw = Group()
    private var normalized = Group()

    init(_ tokens: [AddedToken]) {
        for token in tokens {
            if token.normalized {
                normalized.add(Array(token.content.utf8), id: token.id)
            } else {
                raw.add(Array(token.content.utf8), id: token.id)
            }
        }
    }

    var isEmpty: Bool { raw.isEmpty && normalized.isEmpty }

    /// Splits `buffer[range]` into text and token segments, in order.
    func segments(_ buffer: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> [Segment] {
        var first: [Segment] = []
        Self.scan(raw, buffer, range, into: &first)
        guard !normalized.isEmpty else { return first }
        var result: [Segment] = []
        for segment in first {
            if case .text(let text) = segment {
                Self.scan(normalized, buffer, text, into: &result)
            } else {
                result.append(segment)
            }
        }
        return result
    }

    private static func scan(_ group: Group, _ buffer: UnsafeBufferPointer<UInt8>, _ range: Range<Int>,
                             into result: inout [Segment]) {
        guard !group.isEmpty else {
            if !range.isEmpty { result.append(.text(range)) }
            return
        }
        var textStart = range.lowerBound
        var i = range.lowerBound
        while i < range.upperBound {
            guard group.firstBytes[Int(buffer[i])] else {
                i += 1
                continue
            }
            var bestLength = 0, bestID: TokenID = 0
            for (k, pattern) in group.patterns.enumerated()
            where pattern.count > bestLength && i + pattern.count <= range.upperBound {
                var matches = true
                for j in 0..<pattern.count where buffer[i + j] != pattern[j] {
                    matches = false
                    break
                }
                if matches {
                    bestLength = pattern.count
                    bestID = group.ids[k]
                }
            }
            if bestLength == 0 {
                i += 1
                continue
            }
            if textStart < i { result.append(.text(textStart..<i)) }
            result.append(.token(bestID, i..<(i + bestLength)))
            i += bestLength
            textStart = i
        }
        if textStart < range.upperBound { result.append(.text(textStart..<range.upperBound)) }
    }
}
