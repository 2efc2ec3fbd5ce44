import Foundation

/// BLOOM's byte-level BPE tokenizer: added-token matching → ``BloomPreTokenizer`` split →
/// byte-level ``BPEModel`` → ids; decoding concatenates token bytes.
///
/// Encoding takes bytes, not text, and is lossless for every byte string (invalid UTF-8
/// included, see ``BloomPreTokenizer``): `decode(encode(x)) == x`. No special tokens are
/// added around the input (BLOOM's post-processor adds none); special-token *text* in the
/// input, such as `</s>`, is matched and encoded as that token, as HF does.
///
/// A `Tokenizer` is immutable and safe to share between threads; each concurrent call gets
/// its own word cache from an internal pool.
///
/// ```swift
/// let tokenizer = try Tokenizer(contentsOf: URL(fileURLWithPath: "tokenizer.json"))
/// let ids = tokenizer.encode("Hello world")
/// let text = try tokenizer.decodeText(ids)   // "Hello world"
/// ```
public final class Tokenizer: Sendable {
    /// The BPE model (vocabulary and merges).
    public let model: BPEModel
    /// Tokens matched verbatim in the input (special and reserved tokens), by id order.
    public let addedTokens: [AddedToken]
    /// Added-token ids that an imported file kept out of `model.vocab` (written back the
    /// same way on export).
    let idsOutsideModelVocabulary: Set<TokenID>
    let matcher: AddedTokenMatcher
    let caches = WordCachePool()

    /// Combines a model with its added tokens; every added token id must be in the model.
    public init(model: BPEModel, addedTokens: [AddedToken]) {
        self.model = model
        self.addedTokens = addedTokens.sorted { $0.id < $1.id }
        idsOutsideModelVocabulary = []
        matcher = AddedTokenMatcher(addedTokens)
    }

    init(model: BPEModel, addedTokens: [AddedToken], idsOutsideModelVocabulary: Set<TokenID>) {
        self.model = model
        self.addedTokens = addedTokens
        self.idsOutsideModelVocabulary = idsOutsideModelVocabulary
        matcher = AddedTokenMatcher(addedTokens)
    }

    /// Number of ids (special tokens, the 256 bytes and the merges' results).
    public var vocabularySize: Int { model.count }

    /// The id of a token string as written in `tokenizer.json` (e.g. `Ġthe`, `</s>`).
    public func id(forToken token: String) -> TokenID? {
        model.tokens.firstIndex(of: token).map { TokenID($0) }
    }

    /// The token string of an id, if it exists.
    public func token(forID id: TokenID) -> String? {
        Int(id) < model.count ? model.tokens[Int(id)] : nil
    }

    // MARK: - Encoding

    /// The ids of `bytes`.
    public func encode(_ bytes: [UInt8]) -> [TokenID] {
        bytes.withUnsafeBufferPointer { encode($0) }
    }

    /// The ids of the UTF-8 bytes of `text`.
    public func encode(_ text: String) -> [TokenID] {
        if let ids = text.utf8.withContiguousStorageIfAvailable({ encode($0) }) { return ids }
        return encode(Array(text.utf8))
    }

    /// The ids of the bytes in `buffer`.
    public func encode(_ buffer: UnsafeBufferPointer<UInt8>) -> [TokenID] {
        caches.withCache { cache in
            var ids: [TokenID] = []
            ids.reserveCapacity(buffer.count / 3 + 4)
            var unused: [Range<Int>] = []
            encode(buffer, 0..<buffer.count, cache: cache, into: &ids, offsets: &unused, recordOffsets: false)
            return ids
        }
    }

    /// The ids of `bytes` with the byte range each token covers.
    public func encodeWithOffsets(_ bytes: [UInt8]) -> Encoding {
        bytes.withUnsafeBufferPointer { buffer in
            caches.withCache { cache in
                var ids: [TokenID] = []
                var offsets: [Range<Int>] = []
                encode(buffer, 0..<buffer.count, cache: cache, into: &ids, offsets: &offsets, recordOffsets: true)
                return Encoding(ids: ids, offsets: offsets)
            }
        }
    }

    /// The ids of `text` with the byte range (in its UTF-8) each token covers.
    public func encodeWithOffsets(_ text: String) -> Encoding {
        encodeWithOffsets(Array(text.utf8))
    }

    /// The core loop: appends the ids of `buffer[range]`, and their offsets when asked.
    func encode(_ buffer: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, cache: WordCache,
                into ids: inout [TokenID], offsets: inout [Range<Int>], recordOffsets: Bool) {
        if matcher.isEmpty {
            encodeText(buffer, range, cache: cache, into: &ids, offsets: &offsets, recordOffsets: recordOffsets)
            return
        }
        for segment in matcher.segments(buffer, range) {
            switch segment {
            case .text(let text):
                encodeText(buffer, text, cache: cache, into: &ids, offsets: &offsets, recordOffsets: recordOffsets)
            case .token(let id, let matched):
                ids.append(id)
                if recordOffsets { offsets.append(matched) }
            }
        }
    }

    /// Pre-tokenizes and BPE-encodes text that contains no added token.
    @inline(__always)
    private func encodeText(_ buffer: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, cache: WordCache,
                            into ids: inout [TokenID], offsets: inout [Range<Int>], recordOffsets: Bool) {
        guard let base = buffer.baseAddress else { return }
        let model = self.model
        var scanner = PieceScanner(buffer, from: range.lowerBound, to: range.upperBound)
        while let piece = scanner.next() {
            let start = base + piece.lowerBound, length = piece.count
            let before = ids.count
            if length == 1 {
                ids.append(model.byteIDs[Int(start[0])])
            } else if length <= WordCache.maxKeyLength {
                let hash = ByteHash.hash(start, count: length)
                if !cache.appendCached(start, count: length, hash: hash, into: &ids) {
                    model.tokenize(start, count: length, into: &ids, scratch: cache.scratch)
                    cache.insert(start, count: length, hash: hash, ids: ids[before...])
                }
            } else {
                model.tokenize(start, count: length, into: &ids, scratch: cache.scratch)
            }
            if recordOffsets {
                var position = piece.lowerBound
                for k in before..<ids.count {
                    let end = position + Int(model.tokenLengths[Int(ids[k])])
                    offsets.append(position..<end)
                    position = end
                }
            }
        }
    }

    // MARK: - Decoding

    /// The bytes of `ids` concatenated. Throws ``TokenizerError/unknownTokenID(_:vocabularySize:)``
    /// for an id outside the vocabulary.
    public func decode(_ ids: [TokenID], skipSpecialTokens: Bool = false) throws -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(ids.count * 4)
        let special = skipSpecialTokens ? Set(addedTokens.filter(\.special).map(\.id)) : []
        for id in ids {
            guard Int(id) < model.count else {
                throw TokenizerError.unknownTokenID(id, vocabularySize: model.count)
            }
            if skipSpecialTokens && special.contains(id) { continue }
            output.append(contentsOf: model.tokenBytes[Int(id)])
        }
        return output
    }

    /// The decoded bytes as text; invalid UTF-8 becomes U+FFFD (as HF's `decode` does).
    public func decodeText(_ ids: [TokenID], skipSpecialTokens: Bool = false) throws -> String {
        String(decoding: try decode(ids, skipSpecialTokens: skipSpecialTokens), as: UTF8.self)
    }
}
