import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Spawns `/bin/bash -c COMMAND` in its own process group, with stdout and stderr appended to a
/// log file, and waits with `wait4` to learn exit status, CPU time and peak memory. Cancellation
/// sends SIGTERM to the whole group, then SIGKILL after a grace period.
public enum ProcessRunner {
    public static var killGraceSeconds = 3.0

    public static func run(command: String, workingDirectory: String, environment: [String: String], logPath: String,
                           timeLimitSeconds: Int?, cancellation: Cancellation) async -> ActionResult {
        let logFD = open(logPath, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard logFD >= 0 else { return ActionResult(ending: .error("cannot open log \(logPath): \(String(cString: strerror(errno)))")) }
        defer { close(logFD) }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, logFD, 1)
        posix_spawn_file_actions_adddup2(&actions, logFD, 2)
        // Nothing else of trellis reaches the stage: an inherited descriptor (a pipe the caller
        // watches for trellis's end, say) would outlive trellis in a stage's background process.
        Self.closeFrom3(&actions)
        var script = command
        if let addChdir = Self.addChdir {
            _ = addChdir(&actions, workingDirectory)
        } else {
            script = "cd -- '\(workingDirectory.replacingOccurrences(of: "'", with: "'\\''"))' || exit 125\n" + command
        }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // A new process group (so the whole tree can be signalled), default signal handlers and an
        // empty mask (the parent ignores SIGINT/SIGTERM to catch them through dispatch sources).
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for s in [SIGINT, SIGTERM, SIGPIPE, SIGHUP, SIGQUIT] { sigaddset(&defaults, s) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let argv: [UnsafeMutablePointer<CChar>?] = (["/bin/bash", "-c", script] as [String]).map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = environment.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { argv.forEach { free($0) }; envp.forEach { free($0) } }

        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, "/bin/bash", &actions, &attributes, argv, envp)
        guard spawned == 0 else { return ActionResult(ending: .error("cannot start bash: \(String(cString: strerror(spawned)))")) }
        GroupReaper.shared.adopt(pid)   // the group dies with trellis, even on SIGKILL

        let killer = GroupKiller(pid: pid)
        let token = cancellation.onCancel { killer.terminate(reason: .cancelled) }
        defer { cancellation.remove(token) }
        var timer: DispatchSourceTimer?
        if let limit = timeLimitSeconds {
            let t = DispatchSource.makeTimerSource()
            t.schedule(deadline: .now() + .seconds(limit))
            t.setEventHandler { killer.terminate(reason: .timedOut(seconds: limit)) }
            t.resume()
            timer = t
        }
        defer { timer?.cancel() }

        let child = pid
        let (status, usage) = await withCheckedContinuation { (continuation: CheckedContinuation<(Int32, rusage), Never>) in
            Thread.detachNewThread {
                var status: Int32 = 0
                var usage = rusage()
                while wait4(child, &status, 0, &usage) < 0 && errno == EINTR {}
                continuation.resume(returning: (status, usage))
            }
        }
        killer.finished()
        let cpu = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6 + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
        let peak = Int64(usage.ru_maxrss) * 1024
        let ending: ActionResult.Ending
        if let reason = killer.reason {
            ending = reason
        } else if status & 0x7f == 0 {
            let code = (status >> 8) & 0xff
            ending = code == 0 ? .succeeded : .failed(exitCode: code)
        } else {
            ending = .signalled(status & 0x7f)
        }
        return ActionResult(ending: ending, cpuSeconds: cpu, peakMemoryBytes: peak)
    }

    /// Closes every descriptor from 3 up in the child: glibc's `posix_spawn_file_actions_addclosefrom_np`
    /// (2.34+, looked up at run time); without it the child keeps what is not close-on-exec.
    static func closeFrom3(_ actions: inout posix_spawn_file_actions_t) {
        if let addCloseFrom = Self.addCloseFrom { _ = addCloseFrom(&actions, 3) }
    }

    private typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    private static let addCloseFrom: AddCloseFrom? = {
        guard let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") else { return nil }
        return unsafeBitCast(symbol, to: AddCloseFrom.self)
    }()

    /// glibc's `posix_spawn_file_actions_addchdir_np` (2.29+), looked up at run time because
    /// Swift's Glibc module does not import it.
    private typealias AddChdir = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32
    private static let addChdir: AddChdir? = {
        guard let symbol = dlsym(nil, "posix_spawn_file_actions_addchdir_np") else { return nil }
        return unsafeBitCast(symbol, to: AddChdir.self)
    }()
}

/// Terminates a process group once: SIGTERM now, SIGKILL after the grace period if still there.
private final class GroupKiller: @unchecked Sendable {
    let pid: pid_t
    private let lock = NSLock()
    private(set) var reason: ActionResult.Ending?
    private var done = false

    init(pid: pid_t) { self.pid = pid }

    func terminate(reason: ActionResult.Ending) {
        lock.lock()
        guard self.reason == nil, !done else { lock.unlock(); return }
        self.reason = reason
        lock.unlock()
        killpg(pid, SIGTERM)
        DispatchQueue.global().asyncAfter(deadline: .now() + ProcessRunner.killGraceSeconds) { [self] in
            lock.lock(); let finished = done; lock.unlock()
            if !finished { killpg(pid, SIGKILL) }
        }
    }

    func finished() {
        lock.lock(); done = true; lock.unlock()
        // Reap stragglers the shell left in its group.
        killpg(pid, SIGKILL)
        GroupReaper.shared.release(pid)
    }
}
