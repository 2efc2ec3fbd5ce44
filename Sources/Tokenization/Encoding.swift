/// The result of encoding one input with offsets.
public struct Encoding: Equatable, Sendable {
    /// Token ids.
    public var ids: [TokenID]
    /// For each token, the byte range of the input it covers. The ranges tile the input:
    /// no trimming of spaces (unlike HF's `trim_offsets`), and offsets count bytes, not
    /// characters.
    public var offsets: [Range<Int>]

    public init(ids: [TokenID], offsets: [Range<Int>]) {
        self.ids = ids
        self.offsets = offsets
    }
}
