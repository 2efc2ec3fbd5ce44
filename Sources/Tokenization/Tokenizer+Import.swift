import FileIO
import Foundation

extension Tokenizer {
    /// Loads an HF `tokenizer.json` holding a byte-level BPE with BLOOM's pipeline (the
    /// files ``jsonData(pretty:)`` writes, and `bigscience/tokenizer`'s). Anything else
    /// throws a ``TokenizerFileError`` naming the field.
    public convenience init(contentsOf url: URL) throws {
        let data: [UInt8]
        do {
            data = try FileContents.bytes(url.path)
        } catch {
            throw TokenizerError.io(path: url.path, message: "\(error)")
        }
        try self.init(json: data)
    }

    /// Parses and validates `tokenizer.json` bytes; see ``init(contentsOf:)``.
    public convenience init(json bytes: [UInt8]) throws {
        let root = try OrderedJSON.parse(bytes)
        let file = try TokenizerFileReader(root).read()
        self.init(model: file.model, addedTokens: file.addedTokens, idsOutsideModelVocabulary: file.addedOnly)
    }
}

/// Reads the fields of a `tokenizer.json`, tracking the path of each so errors can name it.
struct TokenizerFileReader {
    struct Contents {
        var model: BPEModel
        var addedTokens: [AddedToken]
        /// Added-token ids that are not in `model.vocab` (HF appends such tokens).
        var addedOnly: Set<TokenID>
    }

    let root: OrderedJSON

    init(_ root: OrderedJSON) { self.root = root }

    func read() throws -> Contents {
        guard case .object = root else { throw TokenizerFileError.wrongType(field: "(root)", expected: "an object", found: root.kindName) }
        for field in ["truncation", "padding", "normalizer"] {
            if let value = root[field], value != .null {
                throw TokenizerFileError.unsupported(field: field, value: brief(value),
                                                     hint: "only tokenizers without \(field) are supported (BLOOM has none)")
            }
        }
        try checkPreTokenizer()
        try checkByteLevelOrNull("decoder")
        try checkByteLevelOrNull("post_processor")
        let added = try addedTokens()
        let model = try required("model", in: root, path: "model")
        if let type = model["type"] {
            let name = try string(type, "model.type")
            guard name == "BPE" else {
                throw TokenizerFileError.unsupported(field: "model.type", value: "\"\(name)\"", hint: "only BPE models are supported")
            }
        }
        if let dropout = model["dropout"], dropout != .null {
            throw TokenizerFileError.unsupported(field: "model.dropout", value: brief(dropout), hint: "BPE dropout is not implemented")
        }
        for field in ["continuing_subword_prefix", "end_of_word_suffix"] {
            if let value = model[field], value != .null, value != .string("") {
                throw TokenizerFileError.unsupported(field: "model.\(field)", value: brief(value),
                                                     hint: "byte-level BPE uses no subword affixes")
            }
        }
        if let value = model["byte_fallback"], value != .bool(false) {
            throw TokenizerFileError.unsupported(field: "model.byte_fallback", value: brief(value), hint: "not needed for byte-level BPE")
        }
        let ignoreMerges = try model["ignore_merges"].map { try bool($0, "model.ignore_merges") } ?? false

        // Vocabulary: token → id, ids must tile 0..<n together with the added tokens.
        let vocab = try required("vocab", in: model, path: "model.vocab")
        guard case .object(let entries) = vocab else {
            throw TokenizerFileError.wrongType(field: "model.vocab", expected: "an object", found: vocab.kindName)
        }
        var tokensByID: [Int: String] = [:]
        var idByToken: [String: Int] = [:]
        for (token, value) in entries {
            let path = "model.vocab[\(quoted(token))]"
            let id = try integer(value, path)
            guard id >= 0, id < Int(UInt32.max) else { throw TokenizerFileError.invalid(field: path, problem: "has id \(id) out of range") }
            if let other = tokensByID[id] {
                throw TokenizerFileError.invalid(field: path, problem: "reuses id \(id) of \(quoted(other))")
            }
            tokensByID[id] = token
            idByToken[token] = id
        }
        var addedOnly = Set<TokenID>()
        for (k, token) in added.enumerated() {
            if let existing = tokensByID[Int(token.id)] {
                guard existing == token.content else {
                    throw TokenizerFileError.invalid(field: "added_tokens[\(k)].id",
                                                     problem: "is \(token.id), which model.vocab gives to \(quoted(existing))")
                }
            } else {
                tokensByID[Int(token.id)] = token.content
                addedOnly.insert(token.id)
            }
        }
        let count = tokensByID.count
        var tokens: [String] = []
        tokens.reserveCapacity(count)
        for id in 0..<count {
            guard let token = tokensByID[id] else {
                throw TokenizerFileError.invalid(field: "model.vocab", problem: "ids are not contiguous: id \(id) is missing")
            }
            tokens.append(token)
        }
        let addedContents = Set(added.map(\.content))
        var haveByte = [Bool](repeating: false, count: 256)
        for token in tokens {
            if let bytes = ByteLevel.bytes(for: token) {
                if bytes.count == 1 { haveByte[Int(bytes[0])] = true }
            } else if !addedContents.contains(token) {
                throw TokenizerFileError.invalid(field: "model.vocab[\(quoted(token))]",
                                                 problem: "is not a byte-level piece (a character outside GPT-2's byte alphabet)")
            }
        }
        if let missing = haveByte.firstIndex(of: false) {
            throw TokenizerFileError.invalid(field: "model.vocab",
                problem: "has no token for byte 0x\(String(missing, radix: 16, uppercase: true)) (\(quoted(ByteLevel.string(for: [UInt8(missing)]))))")
        }

        let merges = try readMerges(try required("merges", in: model, path: "model.merges"), idByToken: idByToken)
        return Contents(model: BPEModel(tokens: tokens, merges: merges, ignoreMerges: ignoreMerges),
                        addedTokens: added, addedOnly: addedOnly)
    }

    // MARK: - Sections

    private func checkPreTokenizer() throws {
        let path = "pre_tokenizer"
        let value = try required("pre_tokenizer", in: root, path: path)
        let hint = "only BLOOM's Sequence[Split(\(BloomPreTokenizer.pattern), Isolated), ByteLevel(add_prefix_space: false, use_regex: false)] is supported"
        let type = try string(try required("type", in: value, path: "\(path).type"), "\(path).type")
        guard type == "Sequence" else { throw TokenizerFileError.unsupported(field: "\(path).type", value: "\"\(type)\"", hint: hint) }
        let list = try array(try required("pretokenizers", in: value, path: "\(path).pretokenizers"), "\(path).pretokenizers")
        guard list.count == 2 else {
            throw TokenizerFileError.unsupported(field: "\(path).pretokenizers", value: "\(list.count) entries", hint: hint)
        }
        let split = list[0], splitPath = "\(path).pretokenizers[0]"
        try expect(split, "type", .string("Split"), splitPath, hint)
        let pattern = try required("pattern", in: split, path: "\(splitPath).pattern")
        guard let regex = pattern["Regex"] else {
            throw TokenizerFileError.unsupported(field: "\(splitPath).pattern", value: brief(pattern), hint: hint)
        }
        guard try string(regex, "\(splitPath).pattern.Regex") == BloomPreTokenizer.pattern else {
            throw TokenizerFileError.unsupported(field: "\(splitPath).pattern.Regex", value: brief(regex), hint: hint)
        }
        try expect(split, "behavior", .string("Isolated"), splitPath, hint)
        try expect(split, "invert", .bool(false), splitPath, hint)
        let byteLevel = list[1], levelPath = "\(path).pretokenizers[1]"
        try expect(byteLevel, "type", .string("ByteLevel"), levelPath, hint)
        try expect(byteLevel, "add_prefix_space", .bool(false), levelPath, hint)
        try expect(byteLevel, "use_regex", .bool(false), levelPath, hint)
    }

    private func checkByteLevelOrNull(_ field: String) throws {
        guard let value = root[field], value != .null else { return }
        try expect(value, "type", .string("ByteLevel"), field, "only a ByteLevel \(field) (or none) is supported")
    }

    private func addedTokens() throws -> [AddedToken] {
        guard let value = root["added_tokens"], value != .null else { return [] }
        var result: [AddedToken] = []
        for (k, item) in try array(value, "added_tokens").enumerated() {
            let path = "added_tokens[\(k)]"
            guard case .object = item else { throw TokenizerFileError.wrongType(field: path, expected: "an object", found: item.kindName) }
            let id = try integer(try required("id", in: item, path: "\(path).id"), "\(path).id")
            guard id >= 0, id < Int(UInt32.max) else { throw TokenizerFileError.invalid(field: "\(path).id", problem: "is out of range") }
            let content = try string(try required("content", in: item, path: "\(path).content"), "\(path).content")
            guard !content.isEmpty else { throw TokenizerFileError.invalid(field: "\(path).content", problem: "is empty") }
            for flag in ["single_word", "lstrip", "rstrip"] {
                if let v = item[flag], try bool(v, "\(path).\(flag)") {
                    throw TokenizerFileError.unsupported(field: "\(path).\(flag)", value: "true", hint: "added tokens are matched verbatim only")
                }
            }
            let special = try item["special"].map { try bool($0, "\(path).special") } ?? false
            let normalized = try item["normalized"].map { try bool($0, "\(path).normalized") } ?? !special
            result.append(AddedToken(id: TokenID(id), content: content, special: special, normalized: normalized))
        }
        return result
    }

    private func readMerges(_ value: OrderedJSON, idByToken: [String: Int]) throws -> [Merge] {
        var merges: [Merge] = []
        let items = try array(value, "model.merges")
        merges.reserveCapacity(items.count)
        for (k, item) in items.enumerated() {
            let path = "model.merges[\(k)]"
            let left: String, right: String
            switch item {
            case .string(let text):  // the older "left right" form
                let parts = text.split(separator: " ", omittingEmptySubsequences: false)
                guard parts.count == 2 else {
                    throw TokenizerFileError.invalid(field: path, problem: "should be two tokens separated by one space, found \(quoted(text))")
                }
                left = String(parts[0])
                right = String(parts[1])
            case .array(let pair):
                guard pair.count == 2 else { throw TokenizerFileError.invalid(field: path, problem: "should hold 2 tokens, found \(pair.count)") }
                left = try string(pair[0], "\(path)[0]")
                right = try string(pair[1], "\(path)[1]")
            default:
                throw TokenizerFileError.wrongType(field: path, expected: "a [left, right] pair", found: item.kindName)
            }
            guard let l = idByToken[left] else { throw TokenizerFileError.invalid(field: path, problem: "uses \(quoted(left)), which is not in model.vocab") }
            guard let r = idByToken[right] else { throw TokenizerFileError.invalid(field: path, problem: "uses \(quoted(right)), which is not in model.vocab") }
            guard let result = idByToken[left + right] else {
                throw TokenizerFileError.invalid(field: path, problem: "produces \(quoted(left + right)), which is not in model.vocab")
            }
            merges.append(Merge(left: TokenID(l), right: TokenID(r), result: TokenID(result)))
        }
        return merges
    }

    // MARK: - Typed access

    private func required(_ key: String, in object: OrderedJSON, path: String) throws -> OrderedJSON {
        guard case .object = object else { throw TokenizerFileError.wrongType(field: parent(path), expected: "an object", found: object.kindName) }
        guard let value = object[key] else { throw TokenizerFileError.missingField(path) }
        return value
    }

    private func expect(_ object: OrderedJSON, _ key: String, _ expected: OrderedJSON, _ path: String, _ hint: String) throws {
        let value = try required(key, in: object, path: "\(path).\(key)")
        guard value == expected else {
            throw TokenizerFileError.unsupported(field: "\(path).\(key)", value: brief(value), hint: hint)
        }
    }

    private func string(_ value: OrderedJSON, _ path: String) throws -> String {
        guard case .string(let s) = value else { throw TokenizerFileError.wrongType(field: path, expected: "a string", found: value.kindName) }
        return s
    }

    private func bool(_ value: OrderedJSON, _ path: String) throws -> Bool {
        guard case .bool(let b) = value else { throw TokenizerFileError.wrongType(field: path, expected: "a boolean", found: value.kindName) }
        return b
    }

    private func integer(_ value: OrderedJSON, _ path: String) throws -> Int {
        guard case .number(let text) = value, let n = Int(text) else {
            throw TokenizerFileError.wrongType(field: path, expected: "an integer", found: value.kindName)
        }
        return n
    }

    private func array(_ value: OrderedJSON, _ path: String) throws -> [OrderedJSON] {
        guard case .array(let items) = value else { throw TokenizerFileError.wrongType(field: path, expected: "an array", found: value.kindName) }
        return items
    }

    private func parent(_ path: String) -> String {
        path.lastIndex(of: ".").map { String(path[..<$0]) } ?? "(root)"
    }

    /// The string as a JSON literal, so names with quotes or controls stay unambiguous.
    private func quoted(_ s: String) -> String {
        var writer = JSONWriter(pretty: false, reserve: s.utf8.count + 2)
        writer.writeString(s)
        return String(decoding: writer.output, as: UTF8.self)
    }

    private func brief(_ value: OrderedJSON) -> String {
        var writer = JSONWriter(pretty: false, reserve: 64)
        writer.write(value)
        let text = String(decoding: writer.output, as: UTF8.self)
        return text.count > 80 ? String(text.prefix(77)) + "..." : text
    }
}
