/// A stage label split for a DAG box: a matrix member such as `pretrain[pos=alibi,eln=true]` shows
/// its stage name on one line and its parameters on the next, which keeps boxes narrow.
struct StageLabel: Equatable {
    /// The stage name (the whole label when it has no parameters).
    let name: String
    /// The bracketed parameters, brackets included, or nil.
    let parameters: String?

    init(_ label: String) {
        if label.hasSuffix("]"), let open = label.firstIndex(of: "["), open != label.startIndex {
            name = String(label[..<open])
            parameters = String(label[open...])
        } else {
            name = label
            parameters = nil
        }
    }
}
