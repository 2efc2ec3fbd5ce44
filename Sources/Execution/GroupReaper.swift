import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Makes stage processes die with `trellis`, however `trellis` dies (SIGKILL included). A small
/// watchdog (`/bin/sh`, its own process group, started on first use) reads "+ PGID" / "- PGID"
/// lines from a socket whose other end only this process holds (close-on-exec, so stages never
/// inherit it). When this process ends, the kernel closes that end; the watchdog reads end of
/// file and SIGKILLs every process group still listed.
public final class GroupReaper: @unchecked Sendable {
    public static let shared = GroupReaper()

    private let lock = NSLock()
    private var socket: Int32 = -1
    private var started = false

    /// The watchdog, in POSIX sh without a fork per line (parameter expansion only).
    static let script = """
        trap '' INT TERM HUP QUIT
        set -f
        gs=' '
        while read -r op g; do
          case "$op" in
            +) gs="$gs$g " ;;
            -) case "$gs" in *" $g "*) gs="${gs%% $g *} ${gs#* $g }" ;; esac ;;
          esac
        done
        for g in $gs; do kill -9 "-$g" 2>/dev/null; done
        """

    /// The watchdog's pid, once started (tests look at it).
    public private(set) var watchdog: pid_t = 0

    public func adopt(_ group: pid_t) { send("+ \(group)\n") }
    public func release(_ group: pid_t) { send("- \(group)\n") }

    private func send(_ line: String) {
        lock.lock(); defer { lock.unlock() }
        if !started { started = true; start() }
        guard socket >= 0 else { return }
        let bytes = Array(line.utf8)
        if Glibc.send(socket, bytes, bytes.count, Int32(MSG_NOSIGNAL)) != bytes.count {
            close(socket)
            socket = -1
        }
    }

    private func start() {
        var fds: [Int32] = [-1, -1]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &fds) == 0 else { return }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, fds[1], 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        ProcessRunner.closeFrom3(&actions)   // the watchdog holds nothing of trellis but its socket
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
        let argv: [UnsafeMutablePointer<CChar>?] = (["/bin/sh", "-c", Self.script] as [String]).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, "/bin/sh", &actions, &attributes, argv, environ)
        close(fds[1])
        guard spawned == 0 else { close(fds[0]); return }
        watchdog = pid
        socket = fds[0]
        // The watchdog outlives this process on purpose; reap it if it ends first.
        let child = pid
        Thread.detachNewThread { var status: Int32 = 0; while waitpid(child, &status, 0) < 0 && errno == EINTR {} }
    }
}
