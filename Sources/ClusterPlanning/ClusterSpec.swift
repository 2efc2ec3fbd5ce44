import Foundation

/// The hardware the plan runs on.
///
/// ```swift
/// let jeanZay = ClusterSpec.jeanZayA100(nodes: 48)
/// ```
public struct ClusterSpec: Codable, Sendable, Equatable {
    /// A label for reports.
    public var name: String
    /// GPU model, for reports.
    public var gpuName: String
    /// Nodes used by the job; `nodes · gpusPerNode` must equal TP·PP·DP.
    public var nodes: Int
    /// GPUs per node (`--gres gpu:N`, `--nproc_per_node N`).
    public var gpusPerNode: Int
    /// Memory of one GPU in bytes.
    public var gpuMemoryBytes: Int
    /// Peak dense FLOP/s of one GPU in the training precision.
    public var gpuPeakFLOPs: Double

    public init(name: String, gpuName: String, nodes: Int, gpusPerNode: Int,
                gpuMemoryBytes: Int, gpuPeakFLOPs: Double) {
        self.name = name
        self.gpuName = gpuName
        self.nodes = nodes
        self.gpusPerNode = gpusPerNode
        self.gpuMemoryBytes = gpuMemoryBytes
        self.gpuPeakFLOPs = gpuPeakFLOPs
    }

    /// Total GPUs, `nodes · gpusPerNode`.
    public var gpus: Int { nodes * gpusPerNode }

    /// Jean Zay's 8 × A100 80GB nodes (bloom.md §B.2).
    ///
    /// Assumptions: "80GB" is taken as 80 GiB; the peak of 312 TFLOP/s (bf16 dense) is the value
    /// implied by bloom.md's "156 TFLOPs/GPU (~50% of A100 bf16 peak)".
    public static func jeanZayA100(nodes: Int) -> ClusterSpec {
        ClusterSpec(name: "Jean Zay A100 partition", gpuName: "A100 80GB", nodes: nodes,
                    gpusPerNode: 8, gpuMemoryBytes: 80 * 1_073_741_824, gpuPeakFLOPs: 312e12)
    }
}
