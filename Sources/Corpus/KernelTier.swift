/// Which of the corpus kernels this CPU runs (the outputs are the same either way: the kernels
/// match the Swift loops bit for bit). Shard digests are swift-crypto's SHA-256, exact on every path.
public enum CorpusKernelTier {
    public static var description: String {
        LanguageIdentifier.usesAVX512 ? "avx512" : "portable"
    }
}
