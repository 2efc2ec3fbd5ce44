import CanonicalJSON
import Execution
import Foundation
import TensorEngine

/// Kinds that exist only for Trellis's own tests of stage isolation, registered when the
/// environment has `TRELLIS_TEST_KINDS=1` (never listed otherwise): one that crashes the process
/// it runs in, one that sleeps without looking at cancellation, one that keeps its engine threads
/// busy and writes how many there were.
enum TestKinds {
    static var enabled: Bool { ProcessInfo.processInfo.environment["TRELLIS_TEST_KINDS"] == "1" }
    static let all: [any BuiltinKind] = [Trap(), Sleep(), Burn()]

    struct Seconds: Decodable { var seconds: Double }

    struct Trap: BuiltinKind {
        let name = "test-trap"
        let version = 1
        func run(config: JSONValue, context: BuiltinContext) async throws {
            context.log("test-trap: about to crash")
            fatalError("test-trap: a deliberate crash")
        }
    }

    struct Sleep: BuiltinKind {
        let name = "test-sleep"
        let version = 1
        func run(config: JSONValue, context: BuiltinContext) async throws {
            let seconds = try config.decodeConfig(Seconds.self, knownKeys: ["seconds"]).seconds
            usleep(UInt32(max(0, min(seconds, 3600)) * 1_000_000))
            try "slept \(seconds) s\n".write(toFile: context.outputDirectory + "/slept.txt", atomically: true, encoding: .utf8)
        }
    }

    struct Burn: BuiltinKind {
        let name = "test-burn"
        let version = 1
        func run(config: JSONValue, context: BuiltinContext) async throws {
            let seconds = try config.decodeConfig(Seconds.self, knownKeys: ["seconds"]).seconds
            let threads = Parallel.workerCount
            let deadline = Date().addingTimeInterval(min(seconds, 3600))
            DispatchQueue.concurrentPerform(iterations: threads) { _ in
                var x = 1.0
                while Date() < deadline { for _ in 0..<10_000 { x = x * 1.000001 + 1e-9 } }
                if x == 0 { print(x) }
            }
            try "\(threads)\n".write(toFile: context.outputDirectory + "/threads.txt", atomically: true, encoding: .utf8)
        }
    }
}
