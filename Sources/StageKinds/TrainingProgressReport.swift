import Execution
import Training

/// A training step's metrics as stage progress: `step 120/300  loss 4.213  val_loss 4.5  lr 0.0003  tokens/s 13180`.
/// Used by the `train` kind in process and by rank 0 of an MPI job.
public enum TrainingProgressReport {
    /// Prefix of the stdout lines by which an MPI rank 0 passes progress to the launching stage.
    public static let linePrefix = "trellis-progress "

    public static func progress(_ step: StepMetrics, steps: Int, validationLoss: Double?) -> StageProgress {
        var figures: [(name: String, value: StageProgress.Figure)] = [("loss", .number(step.loss))]
        if let validationLoss { figures.append(("val_loss", .number(validationLoss))) }
        figures += [("lr", .number(step.lr)), ("tokens/s", .number(step.tokens_per_second.rounded()))]
        return StageProgress(done: Double(step.step), total: Double(steps), unit: "steps", phase: "train", figures: figures)
    }
}
