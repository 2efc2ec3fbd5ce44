import Foundation

/// Why a plan cannot be made. Every case names the offending field (``field``) and says what
/// is wrong (``problem``), so an adapter can surface it as `with.<field>: <problem>`.
public enum PlanError: Error, Equatable, CustomStringConvertible {
    /// `field` (= `value`) must be a multiple of `divisorField` (= `divisor`).
    case notDivisible(field: String, value: Int, divisorField: String, divisor: Int)
    /// `field` is outside its allowed range.
    case outOfRange(field: String, value: String, expected: String)
    /// TP·PP·DP does not match the GPUs of the cluster.
    case worldSizeMismatch(tensorParallel: Int, pipelineParallel: Int, dataParallel: Int,
                           nodes: Int, gpusPerNode: Int)
    /// There are fewer partition units than pipeline stages.
    case cannotPartition(units: Int, stages: Int, method: PartitionMethod)
    /// The busiest stage needs more memory than a GPU has (only with strict memory checking).
    case doesNotFit(stage: Int, requiredBytes: Int, availableBytes: Int)
    /// No preset by that name.
    case unknownPreset(name: String, known: [String])
    /// A configuration value is missing, unknown or malformed.
    case invalidConfig(field: String, problem: String)

    /// The configuration field at fault, in `with:` spelling (snake_case, dotted).
    public var field: String {
        switch self {
        case .notDivisible(let field, _, _, _): return field
        case .outOfRange(let field, _, _): return field
        case .worldSizeMismatch: return "layout.data_parallel"
        case .cannotPartition: return "layout.pipeline_parallel"
        case .doesNotFit: return "layout"
        case .unknownPreset: return "preset"
        case .invalidConfig(let field, _): return field
        }
    }

    /// What is wrong, with a hint where one is likely to help.
    public var problem: String {
        switch self {
        case let .notDivisible(_, value, divisorField, divisor):
            return "\(value) is not divisible by \(divisorField) = \(divisor)"
        case let .outOfRange(_, value, expected):
            return "\(value) is out of range (expected \(expected))"
        case let .worldSizeMismatch(t, p, d, nodes, gpn):
            return "TP·PP·DP = \(t)·\(p)·\(d) = \(t * p * d) GPUs, but the cluster has \(nodes) nodes × \(gpn) GPUs = \(nodes * gpn)"
                + " — hint: set data_parallel to \(max(0, nodes * gpn) / max(1, t * p)) or change nodes"
        case let .cannotPartition(units, stages, method):
            return "\(units) partition units (\(method.rawValue)) cannot fill \(stages) pipeline stages"
        case let .doesNotFit(stage, required, available):
            return String(format: "pipeline stage %d needs %.1f GiB per GPU but a GPU has %.1f GiB", stage,
                          Double(required) / 1_073_741_824, Double(available) / 1_073_741_824)
                + " — hint: raise zero_stage, tensor/pipeline parallelism, enable recompute or lower micro_batch"
        case let .unknownPreset(name, known):
            return "unknown preset '\(name)' (known: \(known.joined(separator: ", ")))"
        case let .invalidConfig(_, problem):
            return problem
        }
    }

    public var description: String { "\(field): \(problem)" }
}
