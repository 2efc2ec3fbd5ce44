/// Why a corpus metric (BLEU, chrF) refused its inputs. sacrebleu raises `TypeError`/`IndexError` for
/// some of these and silently truncates mismatched streams (`zip`) for others; this library refuses
/// all of them up front.
public enum MetricInputError: Error, Equatable, CustomStringConvertible, Sendable {
    /// No hypotheses were given.
    case emptyCorpus
    /// No reference stream (corpus) or no reference string (sentence) was given.
    case noReferences
    /// Reference stream `stream` has `found` segments but there are `expected` hypotheses.
    case referenceStreamLengthMismatch(stream: Int, expected: Int, found: Int)

    public var description: String {
        switch self {
        case .emptyCorpus:
            return "the metric needs at least one hypothesis"
        case .noReferences:
            return "the metric needs at least one reference"
        case .referenceStreamLengthMismatch(let stream, let expected, let found):
            return "reference stream \(stream) has \(found) segments, expected \(expected) (one per hypothesis)"
        }
    }
}
