/// A token id. HF tokenizers uses `u32`; so do token shards.
public typealias TokenID = UInt32

/// One learned merge: `left` followed by `right` becomes `result`. Its rank is its index in
/// ``BPEModel/merges``; a lower rank is applied first.
public struct Merge: Hashable, Sendable, Codable {
    /// The left token of the pair.
    public var left: TokenID
    /// The right token of the pair.
    public var right: TokenID
    /// The token the pair becomes.
    public var result: TokenID

    public init(left: TokenID, right: TokenID, result: TokenID) {
        self.left = left
        self.right = right
        self.result = result
    }
}

/// The byte-level BPE model: the vocabulary (id → token string and bytes) and the ranked
/// merges. Stateless and `Sendable`; caching lives in ``WordCache``.
///
/// Encoding one piece follows HF tokenizers `Word::merge_all` exactly: start from one
/// symbol per byte, then repeatedly apply the merge of lowest rank, leftmost first, until
/// no adjacent pair has a merge.
public struct BPEModel: Sendable {
    /// Token strings by id, as written in `tokenizer.json` (byte-level pieces such as `Ġthe`,
    /// and special tokens verbatim).
    public let tokens: [String]
    /// The bytes each id decodes to (``ByteLevel/decodedBytes(for:)`` of its string).
    public let tokenBytes: [[UInt8]]
    /// Merges in rank order.
    public let merges: [Merge]
    /// HF `ignore_merges`: a piece that is itself in the vocabulary becomes that one token.
    public let ignoreMerges: Bool

    /// `byteIDs[b]` is the id of the single-byte token for byte `b`.
    let byteIDs: [TokenID]
    /// (left, right) → rank << 32 | result.
    let mergeTable: PairTable
    /// Byte length of each token (for offsets).
    let tokenLengths: [Int32]
    /// Bytes → id, only for `ignoreMerges`.
    private let idsByBytes: [[UInt8]: TokenID]

    /// Creates a model. Every byte must have a single-byte token; callers validate first
    /// (``Tokenizer/init(json:)`` reports what is missing), this initializer traps otherwise.
    public init(tokens: [String], merges: [Merge], ignoreMerges: Bool = false) {
        self.tokens = tokens
        self.merges = merges
        self.ignoreMerges = ignoreMerges
        let bytes = tokens.map(ByteLevel.decodedBytes(for:))
        tokenBytes = bytes
        tokenLengths = bytes.map { Int32($0.count) }
        var byteIDs = [TokenID](repeating: .max, count: 256)
        // Single-character byte-level tokens (HF looks each byte's character up by string).
        for (id, token) in tokens.enumerated() {
            if let decoded = ByteLevel.bytes(for: token), decoded.count == 1 { byteIDs[Int(decoded[0])] = TokenID(id) }
        }
        precondition(!byteIDs.contains(.max), "BPEModel: every byte needs a single-byte token")
        self.byteIDs = byteIDs
        var table = PairTable(minimumCapacity: merges.count)
        // HF keeps the last rank when a pair repeats (its merges map is built by inserting
        // in rank order).
        for (rank, merge) in merges.enumerated() {
            table.set(pack(merge.left, merge.right), UInt64(rank) << 32 | UInt64(merge.result))
        }
        mergeTable = table
        var index: [[UInt8]: TokenID] = [:]
        if ignoreMerges {
            for id in tokens.indices where index[bytes[id]] == nil { index[bytes[id]] = TokenID(id) }
        }
        idsByBytes = index
    }

    /// Vocabulary size (number of ids).
    public var count: Int { tokens.count }

    /// Appends the ids of one pre-tokenized piece (`count` ≥ 1 bytes at `bytes`) to `output`.
    /// `scratch` is reusable working memory.
    @inline(__always)
    func tokenize(_ bytes: UnsafePointer<UInt8>, count: Int, into output: inout [TokenID],
                  scratch: MergeScratch) {
        if count == 1 {
            output.append(byteIDs[Int(bytes[0])])
            return
        }
        if ignoreMerges, let id = idsByBytes[Array(UnsafeBufferPointer(start: bytes, count: count))] {
            output.append(id)
            return
        }
        scratch.reserve(count)
        let n: Int
        if count <= MergeScratch.heapThreshold {
            n = mergeByScanning(bytes, count: count, scratch: scratch)
        } else {
            n = mergeWithHeap(bytes, count: count, scratch: scratch)
        }
        output.append(contentsOf: UnsafeBufferPointer(start: scratch.ids, count: n))
    }

    /// For short pieces: keep the rank of every adjacent pair in an array and scan for the
    /// minimum (leftmost on ties) after each merge. O(n²) but branch-light and allocation-free.
    @inline(__always)
    func mergeByScanning(_ bytes: UnsafePointer<UInt8>, count: Int, scratch: MergeScratch) -> Int {
        let ids = scratch.ids, ranks = scratch.ranks
        for i in 0..<count { ids[i] = byteIDs[Int(bytes[i])] }
        for i in 0..<(count - 1) { ranks[i] = lookup(ids[i], ids[i + 1]) }
        var n = count
        while n > 1 {
            var best = UInt64.max, bestIndex = -1
            for i in 0..<(n - 1) where ranks[i] < best {
                best = ranks[i]
                bestIndex = i
            }
            if bestIndex < 0 { break }
            ids[bestIndex] = TokenID(truncatingIfNeeded: best)
            // Remove symbol bestIndex+1 and pair rank bestIndex.
            let tail = n - bestIndex - 2
            if tail > 0 {
                (ids + bestIndex + 1).update(from: ids + bestIndex + 2, count: tail)
                (ranks + bestIndex).update(from: ranks + bestIndex + 1, count: tail)
            }
            n -= 1
            if bestIndex > 0 { ranks[bestIndex - 1] = lookup(ids[bestIndex - 1], ids[bestIndex]) }
            if bestIndex < n - 1 { ranks[bestIndex] = lookup(ids[bestIndex], ids[bestIndex + 1]) }
        }
        return n
    }

    /// For long pieces: HF's algorithm proper, a min-heap of (rank, position) over a linked
    /// list of symbols, skipping stale entries. O(n log n).
    func mergeWithHeap(_ bytes: UnsafePointer<UInt8>, count: Int, scratch: MergeScratch) -> Int {
        var ids = [TokenID](unsafeUninitializedCapacity: count) { buffer, initialized in
            for i in 0..<count { buffer[i] = byteIDs[Int(bytes[i])] }
            initialized = count
        }
        var next = (0..<count).map { $0 + 1 }
        var previous = (0..<count).map { $0 - 1 }
        next[count - 1] = -1
        var alive = [Bool](repeating: true, count: count)
        // Entries are rank << 32 | position: ordering them as integers is (rank, position).
        var heap = MinHeap()
        for i in 0..<(count - 1) {
            let found = lookup(ids[i], ids[i + 1])
            if found != .max { heap.push(found & 0xFFFF_FFFF_0000_0000 | UInt64(i)) }
        }
        while let top = heap.pop() {
            let position = Int(top & 0xFFFF_FFFF), rank = top >> 32
            guard alive[position], next[position] >= 0 else { continue }
            let right = next[position]
            let current = lookup(ids[position], ids[right])
            guard current != .max, current >> 32 == rank else { continue }  // stale entry
            ids[position] = TokenID(truncatingIfNeeded: current)
            alive[right] = false
            next[position] = next[right]
            if next[right] >= 0 { previous[next[right]] = position }
            if previous[position] >= 0 {
                let p = previous[position]
                let found = lookup(ids[p], ids[position])
                if found != .max { heap.push(found & 0xFFFF_FFFF_0000_0000 | UInt64(p)) }
            }
            if next[position] >= 0 {
                let found = lookup(ids[position], ids[next[position]])
                if found != .max { heap.push(found & 0xFFFF_FFFF_0000_0000 | UInt64(position)) }
            }
        }
        var n = 0
        var i = 0
        while i >= 0 {
            scratch.ids[n] = ids[i]
            n += 1
            i = next[i]
        }
        return n
    }

    /// rank << 32 | result for the pair, or `UInt64.max` when the pair has no merge.
    @inline(__always)
    func lookup(_ left: TokenID, _ right: TokenID) -> UInt64 {
        mergeTable.value(for: pack(left, right)) ?? .max
    }
}
