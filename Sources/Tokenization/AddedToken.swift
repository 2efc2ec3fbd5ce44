/// A token matched verbatim in the input before pre-tokenization (HF's `added_tokens`):
/// BLOOM's special tokens, and any reserved tokens.
public struct AddedToken: Hashable, Sendable, Codable {
    /// Its id in the vocabulary.
    public var id: TokenID
    /// The exact text it stands for, e.g. `</s>`.
    public var content: String
    /// Special tokens can be skipped when decoding.
    public var special: Bool
    /// HF `normalized`: matched in the normalized rather than the raw text. With no
    /// normalizer both are the same text, but HF matches the un-normalized tokens first.
    public var normalized: Bool

    public init(id: TokenID, content: String, special: Bool = true, normalized: Bool = false) {
        self.id = id
        self.content = content
        self.special = special
        self.normalized = normalized
    }
}

/// BLOOM's special tokens and the reserved-token naming scheme.
public enum SpecialTokens {
    /// `<unk>` = 0, `<s>` = 1, `</s>` = 2 (end of document), `<pad>` = 3.
    public static let bloom = ["<unk>", "<s>", "</s>", "<pad>"]

    /// The end-of-document token's id in a BLOOM-style vocabulary.
    public static let endOfDocumentID: TokenID = 2

    /// Names for `count` reserved tokens: `<reserved_0>`, `<reserved_1>`, …
    /// They are given ids right after the four special tokens, count toward the vocabulary
    /// size, and are never produced from ordinary text.
    public static func reserved(_ count: Int) -> [String] {
        (0..<max(0, count)).map { "<reserved_\($0)>" }
    }
}
