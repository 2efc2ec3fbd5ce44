import Foundation

/// Site-specific settings for the Slurm script. Everything here is a placeholder or an
/// assumption to be edited for the real cluster; none of it comes from bloom.md.
public struct LaunchOptions: Codable, Sendable, Equatable {
    /// `#SBATCH --job-name`.
    public var jobName: String
    /// `#SBATCH --partition`; a placeholder by default.
    public var partition: String
    /// `#SBATCH --account`; a placeholder by default.
    public var account: String
    /// `#SBATCH --time` (assumption: 20 h per job, resubmitted until done).
    public var timeLimit: String
    /// `#SBATCH --cpus-per-task` (assumption: 64; set it to the node's core count).
    public var cpusPerTask: Int
    /// Rendezvous port on the first node (assumption: 6000).
    public var masterPort: Int
    /// Path to the Megatron-DeepSpeed checkout; a placeholder by default.
    public var megatronPath: String
    /// Where checkpoints go (`--save`, `--load`); a placeholder by default.
    public var checkpointPath: String

    public init(jobName: String = "trellis-pretrain", partition: String = "<PARTITION>",
                account: String = "<ACCOUNT>", timeLimit: String = "20:00:00",
                cpusPerTask: Int = 64, masterPort: Int = 6000,
                megatronPath: String = "<MEGATRON_DEEPSPEED_DIR>",
                checkpointPath: String = "<CHECKPOINT_DIR>") {
        self.jobName = jobName
        self.partition = partition
        self.account = account
        self.timeLimit = timeLimit
        self.cpusPerTask = cpusPerTask
        self.masterPort = masterPort
        self.megatronPath = megatronPath
        self.checkpointPath = checkpointPath
    }
}
