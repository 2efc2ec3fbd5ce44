import ArgumentParser
import Foundation
import Models

/// `trellis model …`: work with HF-format BLOOM checkpoints (config.json + model.safetensors).
struct ModelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "model", abstract: "Work with BLOOM checkpoints.", subcommands: [Forward.self])

    struct Forward: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run a checkpoint on token ids: last-position logits and the mean next-token loss (labels = ids shifted by one).")

        @Option(help: "An HF-format checkpoint folder (config.json + model.safetensors).")
        var checkpoint: String

        @Option(help: "Token ids, separated by spaces or commas.")
        var ids: String

        @Flag(help: "Print {\"logits\": […], \"loss\": …} as JSON (the default).")
        var json = false

        func run() async throws {
            try await guarded {
                let parsed = ids.split(whereSeparator: { $0 == " " || $0 == "," }).map { Int($0) }
                guard !parsed.isEmpty, parsed.allSatisfy({ $0 != nil && $0! >= 0 }) else {
                    throw UsageError(message: "--ids must be non-negative integers, e.g. --ids \"5 17 42 9\"")
                }
                let result = try ModelForward.run(checkpoint: URL(fileURLWithPath: checkpoint), ids: parsed.map { $0! })
                print(try ModelForward.json(result))
            }
        }
    }
}
