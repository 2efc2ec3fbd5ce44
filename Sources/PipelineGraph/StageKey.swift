import CanonicalJSON
import ContentDigest
import PipelineSpec

/// What a builtin kind contributes to a key: the version its author bumps, the digests of the
/// code the kind runs (its files and every target they reach, computed when `trellis` was built),
/// and how it writes out the defaults of a `with` block.
public struct KindIdentity: Hashable, Sendable {
    public var version: Int
    /// File or target name → SHA-256 of its sources.
    public var code: [String: String]
    /// `with` as written → `with` with every default written out (throws on a bad block).
    public var resolve: @Sendable (JSONValue) throws -> JSONValue

    public init(version: Int, code: [String: String], resolve: @escaping @Sendable (JSONValue) throws -> JSONValue = { $0 }) {
        self.version = version; self.code = code; self.resolve = resolve
    }

    public static func == (a: KindIdentity, b: KindIdentity) -> Bool { a.version == b.version && a.code == b.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(version); hasher.combine(code) }
}

/// Everything that decides a stage's output. Equal ingredients ⇒ equal key ⇒ the stored output is reused.
/// Resources, executor, thread counts, log paths and the time of day are deliberately absent.
public struct KeyIngredients: Hashable, Sendable {
    public var kind: String
    public var kindIdentity: KindIdentity?
    public var command: String?
    public var config: JSONValue?
    public var params: [String: JSONValue]
    public var files: [String: Digest]
    public var upstream: [String: Digest]
    public var env: [String: String]
    public var salt: String?
}

public enum StageKey {
    /// Bump when the composition below changes: every stored key becomes a miss, none is misread.
    public static let schemaVersion = 1

    /// The ingredients as one JSON object; stored in the run database so `why` can diff them.
    public static func components(_ i: KeyIngredients) -> JSONValue {
        var c: [String: JSONValue] = [:]
        // The key format itself.
        c["schema"] = .int(schemaVersion)
        // What runs: "shell", or the builtin kind's name…
        c["kind"] = .string(i.kind)
        // …that kind's version (bumped by its author when its outputs change on purpose)…
        if let v = i.kindIdentity?.version { c["kind_version"] = .int(v) }
        // …and the digests of the code it runs, so a rebuilt trellis with edited code reruns it.
        if let code = i.kindIdentity?.code { c["code"] = .object(code.mapValues { .string($0) }) }
        // A shell stage's command, params and matrix values substituted, output folders symbolic.
        if let command = i.command { c["command"] = .string(command) }
        // A builtin stage's `with` block, defaults written out by its kind, output folders symbolic.
        if let config = i.config { c["config"] = config }
        // Only the params the stage references (dotted path → value), never the whole params block.
        c["params"] = .object(i.params)
        // Declared files and folders (path relative to the manifest → content or Merkle digest).
        c["files"] = .object(i.files.mapValues { .string($0.hex) })
        // Each upstream's output tree digest: a change upstream reaches here only if its output changed.
        c["upstream"] = .object(i.upstream.mapValues { .string($0.hex) })
        // Declared environment: `env` values and the current values of `pass_env` names.
        c["env"] = .object(i.env.mapValues { .string($0) })
        // A manual cache buster.
        if let salt = i.salt { c["salt"] = .string(salt) }
        return .object(c)
    }

    /// SHA-256 of the canonical JSON of `components`.
    public static func key(_ i: KeyIngredients) -> Digest { key(components: components(i)) }

    /// The key of components already built (they are built once and also stored).
    public static func key(components: JSONValue) -> Digest { Digest.of(bytes: components.canonicalBytes) }
}

extension StageKey {
    /// The one function that gathers a stage instance's ingredients — its declared files (digested
    /// by `fileDigest`, given absolute paths), the output trees of `upstream`, its kind's identity and
    /// the environment — into key components. The planner calls it with the upstreams it knows to be
    /// fresh, the run loop with every upstream once they have finished.
    public static func components(of instance: StageInstance, directory: String, upstream: [String: Digest],
                                  kindIdentity: (String) -> KindIdentity?, environment: [String: String],
                                  fileDigest: (String) throws -> Digest) throws -> JSONValue {
        var files: [String: Digest] = [:]
        for dep in instance.deps {
            do { files[dep.value] = try fileDigest(Planner.absolutePath(of: dep, in: directory)) } catch {
                throw PlanError.missingDependency(stage: instance.name, path: dep.value, location: dep.location)
            }
        }
        var ingredients = KeyIngredients(instance: instance, kindIdentity: nil, files: files, upstream: upstream, environment: environment)
        if case .builtin(let kind, let config) = instance.action, let identity = kindIdentity(kind) {
            ingredients.kindIdentity = identity
            do { ingredients.config = try identity.resolve(config) } catch {
                throw PlanError.invalidConfig(stage: instance.name, location: instance.location, problem: "\(error)")
            }
        }
        return components(ingredients)
    }
}

extension KeyIngredients {
    /// The ingredients of `instance`, given digests already computed for its files and upstreams.
    public init(instance: StageInstance, kindIdentity: KindIdentity?, files: [String: Digest], upstream: [String: Digest], environment: [String: String]) {
        switch instance.action {
        case .shell(let command):
            kind = "shell"; self.kindIdentity = nil; self.command = command.symbolic; config = nil
        case .builtin(let name, let config):
            kind = name; self.kindIdentity = kindIdentity; command = nil; self.config = config
        }
        params = instance.params
        self.files = files
        self.upstream = upstream
        var env = instance.env
        for name in instance.passEnv { env[name] = environment[name] ?? "" }
        self.env = env
        salt = instance.salt
    }
}
