import Foundation
import TensorEngine
import Tokenization

/// Documents tokenized with EOS appended, concatenated into one stream and cut into windows of
/// `length` tokens (Megatron/BLOOM packing: windows cross document boundaries, the tail that does
/// not fill a window is dropped). Window order for training is a seeded permutation per epoch.
public struct PackedWindows: Sendable {
    public let length: Int
    /// windows × length ids, row-major.
    public let ids: [Int32]

    public var count: Int { ids.count / length }
    public var tokenCount: Int { ids.count }

    public init(length: Int, ids: [Int32]) {
        precondition(length > 0 && ids.count % length == 0, "PackedWindows: \(ids.count) ids do not fill windows of \(length)")
        self.length = length; self.ids = ids
    }

    /// Packs already tokenized documents, appending `eos` after each, keeping at most `maxTokens`.
    public static func pack(_ documents: [[TokenID]], eos: TokenID, length: Int, maxTokens: Int = .max) -> PackedWindows {
        var stream: [Int32] = []
        stream.reserveCapacity(min(maxTokens, documents.reduce(0) { $0 + $1.count + 1 }))
        for document in documents {
            for id in document { stream.append(Int32(bitPattern: id)) }
            stream.append(Int32(bitPattern: eos))
            if stream.count >= maxTokens { break }
        }
        let usable = min(stream.count, maxTokens) / length * length
        return PackedWindows(length: length, ids: Array(stream[0..<usable]))
    }

    /// Tokenizes and packs `texts` on `workers` threads.
    public static func tokenize(_ texts: [String], tokenizer: Tokenizer, eos: TokenID, length: Int,
                                maxTokens: Int = .max, workers: Int) -> PackedWindows {
        pack(tokenizer.encodeBatch(texts, workers: max(1, workers)), eos: eos, length: length, maxTokens: maxTokens)
    }

    /// The ids of window `index`.
    public func window(_ index: Int) -> ArraySlice<Int32> { ids[(index * length)..<((index + 1) * length)] }

    /// The windows of `rows` consecutive positions of the training order starting at `position`
    /// (a count of windows already consumed; it runs over epochs), flattened (rows × length).
    public func batch(startingAt position: Int, rows: Int, seed: UInt64) -> [Int32] {
        var out: [Int32] = []
        out.reserveCapacity(rows * length)
        var cachedEpoch = -1
        var order: [Int] = []
        for p in position..<(position + rows) {
            let epoch = p / count
            if epoch != cachedEpoch { order = Self.permutation(count: count, seed: seed, epoch: epoch); cachedEpoch = epoch }
            out.append(contentsOf: window(order[p % count]))
        }
        return out
    }

    /// A Fisher–Yates shuffle of 0..<count seeded by (seed, epoch).
    public static func permutation(count: Int, seed: UInt64, epoch: Int) -> [Int] {
        var order = Array(0..<count)
        var rng = SplitMix64(seed: seed &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(epoch) &+ 1)
        if count > 1 {
            for i in stride(from: count - 1, to: 0, by: -1) {
                let j = Int(rng.next() % UInt64(i + 1))
                order.swapAt(i, j)
            }
        }
        return order
    }
}
