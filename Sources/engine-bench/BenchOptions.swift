/// Command-line options of the training benchmark (defaults: the configuration).
struct BenchOptions {
    var vocab = 8192
    var hidden = 256
    var layers = 4
    var heads = 8
    var batch = 8
    var length = 256
    var steps = 10
    var warmup = 2
    var bf16 = false
    var json = false
    /// Skips the sgemm peak measurements (for profiling the steps alone).
    var measurePeak = true
    /// Large fp32 products on the GPU through cuBLASXt (`BLAS.offload`).
    var cublas = false
    /// Serves steps one at a time on request (see `Lockstep.swift`).
    var lockstep = false

    init(_ args: [String]) throws {
        var i = 0
        func value() throws -> Int {
            i += 1
            guard i < args.count, let v = Int(args[i]) else { throw BenchError.usage("\(args[i - 1]) needs an integer") }
            return v
        }
        while i < args.count {
            switch args[i] {
            case "--steps": steps = try value()
            case "--warmup": warmup = try value()
            case "--batch": batch = try value()
            case "--length": length = try value()
            case "--layers": layers = try value()
            case "--hidden": hidden = try value()
            case "--heads": heads = try value()
            case "--vocab": vocab = try value()
            case "--bf16": bf16 = true
            case "--json": json = true
            case "--no-peak": measurePeak = false
            case "--cublas": cublas = true
            case "--lockstep": lockstep = true
            default: throw BenchError.usage("unknown option \(args[i])")
            }
            i += 1
        }
    }
}

enum BenchError: Error, CustomStringConvertible {
    case usage(String)
    var description: String {
        switch self { case .usage(let m): return "\(m)\nusage: engine-bench [--steps N] [--warmup N] [--batch B] [--length T] [--bf16] [--json] [--no-peak] [--cublas] [--lockstep] | cuda-check | export-checkpoint DIR" }
    }
}
