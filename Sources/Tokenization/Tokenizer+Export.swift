import Foundation

extension Tokenizer {
    /// The `tokenizer.json` document for this tokenizer, in HF tokenizers' layout (same key
    /// order as its `save`): BLOOM's pre-tokenizer, ByteLevel decoder and post-processor,
    /// no normalizer, the BPE vocabulary in id order and the merges as token pairs.
    /// `Tokenizer.from_file` in HF tokenizers loads it and encodes identically.
    var json: OrderedJSON {
        func flag(_ b: Bool) -> OrderedJSON { .bool(b) }
        let added: [OrderedJSON] = addedTokens.map { token in
            .object([
                ("id", .number(String(token.id))),
                ("content", .string(token.content)),
                ("single_word", flag(false)),
                ("lstrip", flag(false)),
                ("rstrip", flag(false)),
                ("normalized", flag(token.normalized)),
                ("special", flag(token.special)),
            ])
        }
        let preTokenizer: OrderedJSON = .object([
            ("type", .string("Sequence")),
            ("pretokenizers", .array([
                .object([
                    ("type", .string("Split")),
                    ("pattern", .object([("Regex", .string(BloomPreTokenizer.pattern))])),
                    ("behavior", .string("Isolated")),
                    ("invert", flag(false)),
                ]),
                .object([
                    ("type", .string("ByteLevel")),
                    ("add_prefix_space", flag(false)),
                    ("trim_offsets", flag(true)),
                    ("use_regex", flag(false)),
                ]),
            ])),
        ])
        func byteLevel(trimOffsets: Bool) -> OrderedJSON {
            .object([
                ("type", .string("ByteLevel")),
                ("add_prefix_space", flag(true)),
                ("trim_offsets", flag(trimOffsets)),
                ("use_regex", flag(true)),
            ])
        }
        // HF writes each vocabulary string once, with its (lowest) id, in id order.
        var seen = Set<String>()
        var vocab: [(String, OrderedJSON)] = []
        vocab.reserveCapacity(model.count)
        for (id, token) in model.tokens.enumerated()
        where !idsOutsideModelVocabulary.contains(TokenID(id)) && seen.insert(token).inserted {
            vocab.append((token, .number(String(id))))
        }
        let merges: [OrderedJSON] = Self.serializedMerges(model.merges).map {
            .array([.string(model.tokens[Int($0.left)]), .string(model.tokens[Int($0.right)])])
        }
        return .object([
            ("version", .string("1.0")),
            ("truncation", .null),
            ("padding", .null),
            ("added_tokens", .array(added)),
            ("normalizer", .null),
            ("pre_tokenizer", preTokenizer),
            ("post_processor", byteLevel(trimOffsets: false)),
            ("decoder", byteLevel(trimOffsets: true)),
            ("model", .object([
                ("type", .string("BPE")),
                ("dropout", .null),
                ("unk_token", .null),
                ("continuing_subword_prefix", .null),
                ("end_of_word_suffix", .null),
                ("fuse_unk", flag(false)),
                ("byte_fallback", flag(false)),
                ("ignore_merges", flag(model.ignoreMerges)),
                ("vocab", .object(vocab)),
                ("merges", .array(merges)),
            ])),
        ])
    }

    /// The `tokenizer.json` bytes; `pretty` matches HF's default `save(path, pretty=True)`.
    public func jsonData(pretty: Bool = true) -> [UInt8] {
        var writer = JSONWriter(pretty: pretty, reserve: model.count * 40)
        writer.write(json)
        return writer.output
    }

    /// Writes `tokenizer.json` atomically.
    public func write(to url: URL, pretty: Bool = true) throws {
        do {
            try Data(jsonData(pretty: pretty)).write(to: url, options: .atomic)
        } catch {
            throw TokenizerError.io(path: url.path, message: error.localizedDescription)
        }
    }

    /// The merges as HF serializes them: its model keeps a map pair → (rank, id), so a pair
    /// learned twice appears once, at its last rank.
    static func serializedMerges(_ merges: [Merge]) -> [Merge] {
        var last: [PackedPair: Int] = [:]
        for (rank, merge) in merges.enumerated() { last[pack(merge.left, merge.right)] = rank }
        guard last.count != merges.count else { return merges }
        return merges.enumerated().filter { last[pack($0.element.left, $0.element.right)] == $0.offset }.map(\.element)
    }
}
