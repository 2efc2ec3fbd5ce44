import Foundation
import TensorEngine

/// The safetensors format (https://github.com/huggingface/safetensors): an 8-byte little-endian
/// header length N, N bytes of JSON `{name: {dtype, shape, data_offsets: [begin, end]},
/// "__metadata__": {...}}`, then the raw little-endian data. Offsets are relative to the data.
public struct SafeTensors {
    /// One stored tensor's description.
    public struct Entry: Sendable {
        public let dtype: String
        public let shape: [Int]
        public let range: Range<Int>
    }

    public let path: String
    public let entries: [String: Entry]
    public let metadata: [String: String]
    private let data: Data
    private let dataStart: Int

    static let elementSizes = ["F64": 8, "F32": 4, "F16": 2, "BF16": 2, "I64": 8, "I32": 4, "I16": 2,
                               "I8": 1, "U8": 1, "BOOL": 1, "U16": 2, "U32": 4, "U64": 8]

    /// Reads and validates a file (sizes, offsets, dtypes) without converting tensors yet.
    public init(contentsOf url: URL) throws {
        guard FileManager.default.fileExists(atPath: url.path) else { throw CheckpointError.fileNotFound(path: url.path) }
        let data = try Data(contentsOf: url, options: .mappedIfSafe)
        try self.init(data: data, path: url.path)
    }

    /// Parses an in-memory safetensors blob.
    public init(data: Data, path: String = "<memory>") throws {
        self.path = path
        self.data = data
        guard data.count >= 8 else { throw CheckpointError.truncated(path: path, reason: "\(data.count) bytes, no header length") }
        let n = data.prefix(8).enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        guard n <= UInt64(data.count - 8) else {
            throw CheckpointError.truncated(path: path, reason: "header claims \(n) bytes, file has \(data.count - 8)")
        }
        dataStart = 8 + Int(n)
        let header = data.subdata(in: 8..<dataStart)
        guard let json = try? JSONSerialization.jsonObject(with: header) as? [String: Any] else {
            throw CheckpointError.invalidHeader(path: path, reason: "header is not a JSON object")
        }
        var entries: [String: Entry] = [:]
        var metadata: [String: String] = [:]
        let available = data.count - dataStart
        for (name, value) in json {
            if name == "__metadata__" {
                metadata = (value as? [String: String]) ?? [:]
                continue
            }
            guard let info = value as? [String: Any], let dtype = info["dtype"] as? String,
                  let shape = info["shape"] as? [Int], let offsets = info["data_offsets"] as? [Int], offsets.count == 2
            else { throw CheckpointError.invalidHeader(path: path, reason: "entry '\(name)' lacks dtype/shape/data_offsets") }
            guard let size = Self.elementSizes[dtype] else { throw CheckpointError.unsupportedDType(name: name, dtype: dtype) }
            let expected = Shape.count(shape) * size
            guard offsets[0] >= 0, offsets[1] >= offsets[0], offsets[1] - offsets[0] == expected else {
                throw CheckpointError.invalidHeader(path: path,
                    reason: "tensor '\(name)': offsets \(offsets) do not match \(dtype) shape \(shape) (\(expected) bytes)")
            }
            guard offsets[1] <= available else {
                throw CheckpointError.truncated(path: path, reason: "tensor '\(name)' ends at byte \(offsets[1]) of data, only \(available) present")
            }
            entries[name] = Entry(dtype: dtype, shape: shape, range: offsets[0]..<offsets[1])
        }
        self.entries = entries
        self.metadata = metadata
    }

    /// Tensor names, sorted.
    public var names: [String] { entries.keys.sorted() }

    /// A float tensor, converting F16/BF16 to Float32.
    public func tensor(_ name: String) throws -> Tensor {
        guard let e = entries[name] else { throw CheckpointError.missingTensor(name: name) }
        let n = Shape.count(e.shape)
        let out = Tensor(shape: e.shape, zeroed: false)
        let o = out.pointer
        try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            let base = raw.baseAddress! + dataStart + e.range.lowerBound
            switch e.dtype {
            case "F32": for i in 0..<n { o[i] = Float(bitPattern: UInt32(littleEndian: base.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self))) }
            case "BF16": for i in 0..<n { o[i] = Float(bitPattern: UInt32(UInt16(littleEndian: base.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))) << 16) }
            case "F16": for i in 0..<n { o[i] = Float(Float16(bitPattern: UInt16(littleEndian: base.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)))) }
            default: throw CheckpointError.unsupportedDType(name: name, dtype: e.dtype)
            }
        }
        return out
    }

    /// An integer tensor (I64 or I32) as Int values.
    public func integers(_ name: String) throws -> [Int] {
        guard let e = entries[name] else { throw CheckpointError.missingTensor(name: name) }
        let n = Shape.count(e.shape)
        return try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            let base = raw.baseAddress! + dataStart + e.range.lowerBound
            switch e.dtype {
            case "I64": return (0..<n).map { Int(Int64(littleEndian: base.loadUnaligned(fromByteOffset: 8 * $0, as: Int64.self))) }
            case "I32": return (0..<n).map { Int(Int32(littleEndian: base.loadUnaligned(fromByteOffset: 4 * $0, as: Int32.self))) }
            default: throw CheckpointError.unsupportedDType(name: name, dtype: e.dtype)
            }
        }
    }

    /// Serialises Float32 tensors (names sorted, 8-byte aligned header as the reference writer does).
    public static func serialize(_ tensors: [String: Tensor], metadata: [String: String] = ["format": "pt"]) throws -> Data {
        var header: [String: Any] = ["__metadata__": metadata]
        var offset = 0
        let names = tensors.keys.sorted()
        for name in names {
            let t = tensors[name]!
            header[name] = ["dtype": "F32", "shape": t.shape, "data_offsets": [offset, offset + 4 * t.count]]
            offset += 4 * t.count
        }
        var json = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        while (8 + json.count) % 8 != 0 { json.append(0x20) }
        var out = Data(capacity: 8 + json.count + offset)
        withUnsafeBytes(of: UInt64(json.count).littleEndian) { out.append(contentsOf: $0) }
        out.append(json)
        for name in names {
            let t = tensors[name]!.contiguousData()
            out.append(Data(bytes: t.pointer, count: 4 * t.count))   // x86_64 and arm64 are little-endian
        }
        return out
    }

    /// Writes atomically (temp file, then rename).
    public static func write(_ tensors: [String: Tensor], to url: URL, metadata: [String: String] = ["format": "pt"]) throws {
        try serialize(tensors, metadata: metadata).write(to: url, options: .atomic)
    }
}
