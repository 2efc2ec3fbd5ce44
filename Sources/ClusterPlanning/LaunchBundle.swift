import Foundation

/// The files needed to launch a plan on a Slurm cluster, as relative path → text:
/// `train.slurm` (``SlurmScript``) and `ds_config.json` (``DeepSpeedConfig``).
///
/// ```swift
/// let files = LaunchBundle.files(for: try TrainingPlanner.plan(.bloom176B))
/// print(files["train.slurm"]!)
/// ```
public enum LaunchBundle {
    /// Name of the batch script.
    public static let scriptName = "train.slurm"
    /// Name of the DeepSpeed config.
    public static let deepSpeedConfigName = "ds_config.json"

    /// The bundle for `plan`.
    public static func files(for plan: TrainingPlan) -> [String: String] {
        [
            scriptName: SlurmScript.render(plan),
            deepSpeedConfigName: DeepSpeedConfig(plan.request).json,
        ]
    }
}
