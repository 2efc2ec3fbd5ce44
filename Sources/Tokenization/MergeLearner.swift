/// Learns BPE merges from piece counts with the same algorithm and tie-breaking as HF
/// tokenizers' `BpeTrainer::do_train` (tokenizers/src/models/bpe/trainer.rs), so that the
/// same counts and vocabulary size give the same merges:
///
/// 1. ids: the special tokens in order, then the 256 byte pieces sorted by the code point
///    of their byte-level character (``ByteLevel/alphabetOrder``);
/// 2. every distinct piece becomes a word of byte ids with its count;
/// 3. pair counts and, per pair, the set of words containing it; one queue entry per pair;
/// 4. loop until the vocabulary reaches the target size: pop the entry with the highest
///    count, ties broken by the *smallest* pair `(left id, right id)`; if its count is
///    stale, re-queue it with the current count; stop if the count is < 1 or below
///    `minFrequency`; otherwise create the token (reusing the id when the concatenated
///    string already exists — possibly a special token such as `<s>`), merge the pair in
///    the words recorded in *that entry*, apply the count changes, and queue one new
///    entry per pair that gained occurrences, with its current total count.
///
/// Note that HF never lowers the count of the merged pair itself, so its stale entries
/// are only refreshed, never dropped; this is reproduced as is.
struct MergeLearner {
    /// Token strings by id and merges in rank order.
    struct Result {
        var tokens: [String]
        var merges: [Merge]
    }

    var vocabularySize: Int
    var specialTokens: [String]
    var minFrequency: Int
    /// Called after each merge with (merges done, merges expected at most).
    var progress: ((Int, Int) -> Void)?
    /// Polled every 64 merges; returning true stops with ``TokenizerError/cancelled``.
    var isCancelled: (() -> Bool)?

    func learn(from counts: WordCountTable) throws -> Result {
        // 1. Special tokens, then the byte alphabet.
        var tokens: [String] = []
        var tokenBytes: [[UInt8]] = []
        var idForBytes: [[UInt8]: TokenID] = [:]
        var idForString: [String: TokenID] = [:]
        func addToken(_ string: String, _ bytes: [UInt8]) {
            guard idForString[string] == nil else { return }
            let id = TokenID(tokens.count)
            tokens.append(string)
            tokenBytes.append(bytes)
            idForString[string] = id
            // Only byte-level strings can ever equal a merged token's string.
            if ByteLevel.bytes(for: string) != nil, idForBytes[bytes] == nil { idForBytes[bytes] = id }
        }
        for special in specialTokens { addToken(special, ByteLevel.decodedBytes(for: special)) }
        var byteID = [TokenID](repeating: 0, count: 256)
        for byte in ByteLevel.alphabetOrder {
            let string = ByteLevel.string(for: [byte])
            addToken(string, [byte])
            byteID[Int(byte)] = idForString[string]!
        }

        // 2. Words.
        var words = WordStore(counts: counts, byteID: byteID)

        // 3. Pair counts, word sets, queue.
        var pairCounts = PairTable(minimumCapacity: 1 << 16)
        var positions = PositionLists()
        for w in 0..<words.count {
            let count = Int64(words.counts[w])
            words.forEachPair(of: w) { pair in
                pairCounts.add(pair, count)
                positions.record(pair, word: UInt32(w))
            }
        }
        var queue = MergeQueue()
        positions.drain { pair, list in
            let count = Int64(bitPattern: pairCounts.value(for: pair) ?? 0)
            if count > 0 { queue.push(count: count, pair: pair, positions: list) }
        }

        // 4. Merges.
        var merges: [Merge] = []
        let expected = max(0, vocabularySize - tokens.count)
        while tokens.count < vocabularySize, var top = queue.pop() {
            let current = Int64(bitPattern: pairCounts.value(for: top.pair) ?? 0)
            if top.count != current {
                top.count = current
                queue.push(top)
                continue
            }
            if top.count < 1 || Int64(minFrequency) > top.count { break }

            let left = TokenID(top.pair >> 32), right = TokenID(truncatingIfNeeded: top.pair)
            let bytes = tokenBytes[Int(left)] + tokenBytes[Int(right)]
            let result: TokenID
            if let existing = idForBytes[bytes] {
                result = existing
            } else {
                result = TokenID(tokens.count)
                tokens.append(ByteLevel.string(for: bytes))
                tokenBytes.append(bytes)
                idForBytes[bytes] = result
            }
            merges.append(Merge(left: left, right: right, result: result))

            for w in queue.positions(of: top) {
                let count = Int64(words.counts[Int(w)])
                words.merge(word: Int(w), left, right, into: result) { pair, change in
                    pairCounts.add(pair, Int64(change) * count)
                    if change > 0 { positions.record(pair, word: w) }
                }
            }
            queue.release(top)
            positions.drain { pair, list in
                let count = Int64(bitPattern: pairCounts.value(for: pair) ?? 0)
                if count > 0 { queue.push(count: count, pair: pair, positions: list) }
            }
            progress?(merges.count, expected)
            if merges.count % 64 == 0, let isCancelled, isCancelled() { throw TokenizerError.cancelled }
        }
        return Result(tokens: tokens, merges: merges)
    }
}
