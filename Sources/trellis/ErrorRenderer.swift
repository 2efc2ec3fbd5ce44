import ArgumentParser
import ContentStore
import LMEvaluation
import Execution
import Foundation
import PipelineGraph
import PipelineSpec
import RunDatabase
import Scheduling

/// The one place where errors become text and exit codes.
enum ErrorRenderer {
    static func render(_ error: Error) -> (text: String, code: Int32) {
        if let e = RunDatabaseError.classify(error) { return (format(location: nil, message: e.description, hint: e.hint), 1) }
        switch error {
        case let e as ManifestError:
            return (format(location: e.location, message: e.message, hint: e.hint), 2)
        case let e as PlanError:
            return (format(location: nil, message: e.description, hint: e.hint), 2)
        case let e as GraphError:
            return (format(location: nil, message: e.description, hint: "`trellis dag` lists the stages"), 2)
        case let e as SchedulerError:
            return (format(location: nil, message: e.description, hint: nil), 2)
        case let e as StoreError:
            return (format(location: nil, message: e.description, hint: "`trellis verify` checks the whole store"), 1)
        case let e as StageRerun.Problem:
            return (format(location: nil, message: e.description, hint: nil), 1)
        case let e as TaskFileError:
            return (format(location: e.location.description, message: e.problem, hint: e.hint), 2)
        case let e as EvalError:
            return (format(location: nil, message: e.description, hint: nil), 1)
        case let e as UsageError:
            return (format(location: nil, message: e.message, hint: e.hint), 2)
        default:
            return (format(location: nil, message: "\(error)", hint: nil), 1)
        }
    }

    static func format(location: String?, message: String, hint: String?) -> String {
        var text = "error: " + (location.map { "\($0): " } ?? "") + message
        if let hint { text += "\n  hint: " + hint }
        return text
    }
}

/// A mistake in how a command was called (not in a manifest).
struct UsageError: Error {
    var message: String
    var hint: String?
}

/// Runs a command body, rendering any error and exiting with its code.
func guarded(_ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch let exit as ExitCode {
        throw exit
    } catch {
        let (text, code) = ErrorRenderer.render(error)
        FileHandle.standardError.write(Data((text + "\n").utf8))
        throw ExitCode(code)
    }
}
