import Dispatch
import Execution
import Foundation

/// Ctrl-C / SIGTERM: the first one cancels the run (running stages are stopped, nothing partial is
/// stored); a second one exits at once.
final class SignalTrap {
    private var sources: [DispatchSourceSignal] = []
    private var count = 0
    /// A private serial queue gets its own thread even while in-process stages keep the global
    /// queues' workers busy, so a signal is handled at once.
    private static let queue = DispatchQueue(label: "trellis.signals")

    init(cancellation: Cancellation) {
        for signalNumber in [SIGINT, SIGTERM, SIGHUP] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: Self.queue)
            source.setEventHandler { [weak self] in
                guard let self else { return }
                self.count += 1
                if self.count > 1 { _exit(130) }
                FileHandle.standardError.write(Data("\ntrellis: stopping (running stages are terminated; nothing partial is stored)…\n".utf8))
                cancellation.cancel()
            }
            source.resume()
            sources.append(source)
        }
    }
}
