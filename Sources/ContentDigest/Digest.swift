import Crypto
import Foundation

/// A SHA-256 content digest, shown and stored as 64 lowercase hex characters.
public struct Digest: Hashable, Sendable, Comparable, CustomStringConvertible, Codable {
    public let hex: String

    public init?(hex: String) {
        guard hex.utf8.count == 64, hex.utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) }) else { return nil }
        self.hex = hex
    }

    /// A finished swift-crypto SHA-256 (the streaming file hasher's).
    public init<D: Crypto.Digest>(_ digest: D) {
        var bytes = [UInt8](repeating: 0, count: 64)
        var i = 0
        for byte in digest {
            bytes[i] = Digest.hexDigits[Int(byte >> 4)]
            bytes[i + 1] = Digest.hexDigits[Int(byte & 15)]
            i += 2
        }
        self.hex = String(decoding: bytes, as: UTF8.self)
    }

    public static func of<Bytes: DataProtocol>(bytes: Bytes) -> Digest { Digest(SHA256.hash(data: bytes)) }
    public static func of(string: String) -> Digest { of(bytes: Array(string.utf8)) }

    /// The first 12 hex characters, for people.
    public var short: String { String(hex.prefix(12)) }
    public var description: String { hex }
    public static func < (a: Digest, b: Digest) -> Bool { a.hex < b.hex }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let d = Digest(hex: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a SHA-256 hex digest: \(text)"))
        }
        self = d
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(hex)
    }
}
