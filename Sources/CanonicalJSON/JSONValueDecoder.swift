import Foundation

/// `Decodable` straight from a `JSONValue` tree, without writing and re-parsing JSON text: what
/// planning uses to resolve every builtin stage's `with` block (10,000 of them in a no-op status).
/// Errors are the `DecodingError`s `JSONDecoder` throws, with the same coding paths. Numbers: an
/// integer decodes as any integer type it fits and as a floating-point type; a number with a
/// fraction only as a floating-point type; a whole number written with a fraction (`3.0`) also as
/// an integer type it fits.
struct JSONValueDecoder: Decoder {
    let value: JSONValue
    let codingPath: [CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    static func decode<T: Decodable>(_ type: T.Type, from value: JSONValue) throws -> T {
        try JSONValueDecoder(value: value, codingPath: []).decodeValue(type)
    }

    func decodeValue<T: Decodable>(_ type: T.Type) throws -> T {
        // Types the decoder reads itself (a `JSONValue` member stays a tree).
        if type == JSONValue.self { return value as! T }
        return try T(from: self)
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let members) = value else { throw mismatch([String: JSONValue].self) }
        return KeyedDecodingContainer(Keyed<Key>(members: members, codingPath: codingPath))
    }

    func unkeyedContainer() throws -> UnkeyedDecodingContainer {
        guard case .array(let items) = value else { throw mismatch([JSONValue].self) }
        return Unkeyed(items: items, codingPath: codingPath)
    }

    func singleValueContainer() throws -> SingleValueDecodingContainer { Single(value: value, codingPath: codingPath) }

    func mismatch(_ expected: Any.Type) -> DecodingError {
        .typeMismatch(expected, .init(codingPath: codingPath, debugDescription: "Expected \(expected) but found \(value.typeName)"))
    }

    struct Index: CodingKey {
        var intValue: Int?
        var stringValue: String { "Index \(intValue!)" }
        init(_ i: Int) { intValue = i }
        init?(intValue: Int) { self.intValue = intValue }
        init?(stringValue: String) { nil }
    }

    struct Keyed<Key: CodingKey>: KeyedDecodingContainerProtocol {
        let members: [String: JSONValue]
        let codingPath: [CodingKey]
        var allKeys: [Key] { members.keys.compactMap { Key(stringValue: $0) } }

        func contains(_ key: Key) -> Bool { members[key.stringValue] != nil }

        func decodeNil(forKey key: Key) throws -> Bool {
            guard let member = members[key.stringValue] else { throw missing(key) }
            return member == .null
        }

        func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
            guard let member = members[key.stringValue] else { throw missing(key) }
            return try JSONValueDecoder(value: member, codingPath: codingPath + [key]).decodeValue(type)
        }

        func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
            guard let member = members[key.stringValue], member != .null else { return nil }
            return try JSONValueDecoder(value: member, codingPath: codingPath + [key]).decodeValue(type)
        }

        func nestedContainer<N: CodingKey>(keyedBy type: N.Type, forKey key: Key) throws -> KeyedDecodingContainer<N> {
            guard let member = members[key.stringValue] else { throw missing(key) }
            return try JSONValueDecoder(value: member, codingPath: codingPath + [key]).container(keyedBy: type)
        }

        func nestedUnkeyedContainer(forKey key: Key) throws -> UnkeyedDecodingContainer {
            guard let member = members[key.stringValue] else { throw missing(key) }
            return try JSONValueDecoder(value: member, codingPath: codingPath + [key]).unkeyedContainer()
        }

        func superDecoder() throws -> Decoder { JSONValueDecoder(value: .object(members), codingPath: codingPath) }
        func superDecoder(forKey key: Key) throws -> Decoder {
            JSONValueDecoder(value: members[key.stringValue] ?? .null, codingPath: codingPath + [key])
        }

        private func missing(_ key: Key) -> DecodingError {
            .keyNotFound(key, .init(codingPath: codingPath, debugDescription: "No value associated with key \(key.stringValue)"))
        }
    }

    struct Unkeyed: UnkeyedDecodingContainer {
        let items: [JSONValue]
        let codingPath: [CodingKey]
        var currentIndex = 0
        var count: Int? { items.count }
        var isAtEnd: Bool { currentIndex >= items.count }

        init(items: [JSONValue], codingPath: [CodingKey]) { self.items = items; self.codingPath = codingPath }

        mutating func next() throws -> JSONValueDecoder {
            guard !isAtEnd else {
                throw DecodingError.valueNotFound(JSONValue.self, .init(codingPath: codingPath + [Index(currentIndex)], debugDescription: "Unkeyed container is at end."))
            }
            defer { currentIndex += 1 }
            return JSONValueDecoder(value: items[currentIndex], codingPath: codingPath + [Index(currentIndex)])
        }

        mutating func decodeNil() throws -> Bool {
            guard !isAtEnd, items[currentIndex] == .null else { return false }
            currentIndex += 1
            return true
        }

        mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try next().decodeValue(type) }
        mutating func nestedContainer<N: CodingKey>(keyedBy type: N.Type) throws -> KeyedDecodingContainer<N> { try next().container(keyedBy: type) }
        mutating func nestedUnkeyedContainer() throws -> UnkeyedDecodingContainer { try next().unkeyedContainer() }
        mutating func superDecoder() throws -> Decoder { try next() }
    }

    struct Single: SingleValueDecodingContainer {
        let value: JSONValue
        let codingPath: [CodingKey]

        func decodeNil() -> Bool { value == .null }

        private func fail(_ expected: Any.Type) -> DecodingError {
            if value == .null { return .valueNotFound(expected, .init(codingPath: codingPath, debugDescription: "Expected \(expected) value but found null instead.")) }
            return .typeMismatch(expected, .init(codingPath: codingPath, debugDescription: "Expected \(expected) but found \(value.typeName)"))
        }

        /// An integer, or a whole number the parser kept as a double (beyond `Int`, e.g. a `UInt64` seed).
        private func integer<I: FixedWidthInteger>(_ type: I.Type) throws -> I {
            let exact: I?
            switch value {
            case .int(let i): exact = I(exactly: i)
            case .double(let d) where d.isFinite && d == d.rounded(): exact = I(exactly: d)
            default: throw fail(type)
            }
            guard let exact else {
                throw DecodingError.dataCorrupted(.init(codingPath: codingPath, debugDescription: "Number \(value.canonicalString) does not fit in \(type)."))
            }
            return exact
        }

        func decode(_ type: Bool.Type) throws -> Bool { if case .bool(let b) = value { return b }; throw fail(type) }
        func decode(_ type: String.Type) throws -> String { if case .string(let s) = value { return s }; throw fail(type) }
        func decode(_ type: Double.Type) throws -> Double { if let d = value.doubleValue { return d }; throw fail(type) }
        func decode(_ type: Float.Type) throws -> Float { if let d = value.doubleValue { return Float(d) }; throw fail(type) }
        func decode(_ type: Int.Type) throws -> Int { try integer(type) }
        func decode(_ type: Int8.Type) throws -> Int8 { try integer(type) }
        func decode(_ type: Int16.Type) throws -> Int16 { try integer(type) }
        func decode(_ type: Int32.Type) throws -> Int32 { try integer(type) }
        func decode(_ type: Int64.Type) throws -> Int64 { try integer(type) }
        func decode(_ type: UInt.Type) throws -> UInt { try integer(type) }
        func decode(_ type: UInt8.Type) throws -> UInt8 { try integer(type) }
        func decode(_ type: UInt16.Type) throws -> UInt16 { try integer(type) }
        func decode(_ type: UInt32.Type) throws -> UInt32 { try integer(type) }
        func decode(_ type: UInt64.Type) throws -> UInt64 { try integer(type) }
        func decode<T: Decodable>(_ type: T.Type) throws -> T { try JSONValueDecoder(value: value, codingPath: codingPath).decodeValue(type) }
    }
}
