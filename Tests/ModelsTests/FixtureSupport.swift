import Foundation
import Models
import TensorEngine

/// Access to the golden files written by `scripts/oracles/make_bloom_fixtures.py`.
enum Fixture {
    static var directory: URL { Bundle.module.resourceURL!.appendingPathComponent("Fixtures") }

    /// One per-config fixture: tensors plus the JSON side file.
    struct Golden {
        let file: SafeTensors
        let config: BloomConfiguration
        let batch: Int
        let length: Int
        let optimizer: [String: Double]

        init(_ name: String) throws {
            file = try SafeTensors(contentsOf: Fixture.directory.appendingPathComponent("bloom_\(name).safetensors"))
            let json = try JSONSerialization.jsonObject(with: Data(contentsOf: Fixture.directory.appendingPathComponent("bloom_\(name).json"))) as! [String: Any]
            config = try BloomConfiguration.decode(JSONSerialization.data(withJSONObject: json["config"]!))
            batch = json["batch"] as! Int
            length = json["length"] as! Int
            optimizer = (json["optimizer"] as! [String: Any]).mapValues { ($0 as! NSNumber).doubleValue }
        }

        /// Tensors under `prefix.`, keyed by the rest of the name.
        func tensors(_ prefix: String) throws -> [String: Tensor] {
            var out: [String: Tensor] = [:]
            for name in file.names where name.hasPrefix(prefix + ".") && !name.hasPrefix(prefix + ".step") {
                out[String(name.dropFirst(prefix.count + 1))] = try file.tensor(name)
            }
            return out
        }

        func model() throws -> BloomModel { try BloomCheckpoint.model(config: config, parameters: tensors("param")) }

        func ids(_ name: String = "ids") throws -> [Int32] { try file.integers(name).map(Int32.init) }
    }
}

/// max|a − b| / max|b|: a normwise relative error, robust to tiny individual entries.
func normRelativeError(_ a: [Float], _ b: [Float]) -> Float {
    precondition(a.count == b.count)
    let scale = b.map(abs).max() ?? 0
    return (zip(a, b).map { abs($0 - $1) }.max() ?? 0) / max(scale, 1e-12)
}
