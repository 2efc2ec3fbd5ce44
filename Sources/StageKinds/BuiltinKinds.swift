import Execution

/// Every builtin stage kind this build of Trellis ships. New capabilities register here.
public enum BuiltinKinds {
    public static var registry: BuiltinRegistry {
        BuiltinRegistry([CollectKind(), WriteFilesKind(), PlanKind(), TokenizerKind(), FetchKind(), CorpusKind(), TrainKind(), EvalKind()])
    }
}
