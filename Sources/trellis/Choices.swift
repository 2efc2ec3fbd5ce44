import ArgumentParser
import PipelineGraph

/// The closed sets of values command-line options accept. ArgumentParser refuses anything else
/// with the list of choices (exit 2, like every usage error) and shows them in `--help`.

/// `run --executor`.
enum ExecutorChoice: String, CaseIterable, ExpressibleByArgument {
    /// Stages run on this machine, sharing its cores, memory and GPUs.
    case local
    /// Stages go to Slurm as batch jobs (the store must be on a filesystem the nodes see).
    case slurm
}

/// `table --format`.
enum TableFormat: String, CaseIterable, ExpressibleByArgument {
    case text, csv, markdown, json
}

/// `dag --format`.
extension DagRenderer.Format: ExpressibleByArgument {}
