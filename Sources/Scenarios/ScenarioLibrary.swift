import BreakfixCore
import Foundation

/// Finds scenarios on disk: a path is either one scenario folder or a folder of them.
public struct ScenarioLibrary: Sendable {
    public var root: URL
    public var loader: ScenarioLoader

    public init(root: URL, loader: ScenarioLoader = ScenarioLoader()) {
        self.root = root
        self.loader = loader
    }

    /// The scenario folders under `root`, sorted by slug.
    public func folders() throws -> [URL] {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: root.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ProvisionError("\(root.path) is not a folder; give a scenario folder or a folder of scenarios with --path.")
        }
        if fm.fileExists(atPath: root.appendingPathComponent("scenario.yaml").path) {
            return [root]
        }
        return try fm.contentsOfDirectory(atPath: root.path).sorted().compactMap { name in
            let url = root.appendingPathComponent(name)
            var dir: ObjCBool = false
            guard !name.hasPrefix("."), fm.fileExists(atPath: url.path, isDirectory: &dir), dir.boolValue else {
                return nil
            }
            return url
        }
    }

    /// Every scenario, each either loaded or with its problems.
    public func loadAll() throws -> [Result<ScenarioBundle, ScenarioLoadError>] {
        try folders().map { folder in Result { () throws(ScenarioLoadError) in try loader.load(folder) } }
    }

    /// The named scenarios (all when `slugs` is empty). An unknown slug is a load error with a
    /// did-you-mean.
    public func load(slugs: [String]) throws -> [Result<ScenarioBundle, ScenarioLoadError>] {
        let folders = try folders()
        guard !slugs.isEmpty else { return try loadAll() }
        let known = folders.map(\.lastPathComponent)
        return slugs.map { slug in
            guard let folder = folders.first(where: { $0.lastPathComponent == slug }) else {
                let hint = Suggestion.hint(for: slug, in: known, otherwise: ".")
                return .failure(
                    ScenarioLoadError(
                        slug: slug,
                        diagnostics: [
                            ScenarioDiagnostic(
                                file: loader.display(root), message: "there is no scenario \"\(slug)\"\(hint)")
                        ]))
            }
            return Result { () throws(ScenarioLoadError) in try loader.load(folder) }
        }
    }
}
