import Execution

/// Every builtin stage kind this build of Trellis ships. New capabilities register here.
public enum BuiltinKinds {
    /// Built once: planning asks it for a kind's version once per stage.
    public static let registry = BuiltinRegistry([CollectKind(), WriteFilesKind(), PlanKind(), TokenizerKind(), FetchKind(), CorpusKind(), TrainKind(), EvalKind(), PromptsKind()]
                                                 + (TestKinds.enabled ? TestKinds.all : []))
}
