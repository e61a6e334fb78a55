/// One problem found in a scenario folder: where, and what is expected instead.
public struct ScenarioDiagnostic: Sendable, Equatable, CustomStringConvertible {
    /// The file, as a path the author recognises (e.g. `scenarios/nginx-502/scenario.yaml`).
    public var file: String
    public var line: Int?
    public var message: String

    public init(file: String, line: Int? = nil, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    /// `file:line: message`, the form editors and CI logs link to.
    public var description: String {
        if let line { return "\(file):\(line): \(message)" }
        return "\(file): \(message)"
    }
}

/// A scenario folder that cannot be loaded, with every problem found in it.
public struct ScenarioLoadError: Error, Sendable, Equatable, CustomStringConvertible {
    public var slug: String
    public var diagnostics: [ScenarioDiagnostic]

    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
