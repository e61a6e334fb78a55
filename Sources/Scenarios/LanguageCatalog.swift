import BreakfixCore
import Foundation
import Yams

/// The judge's languages, from `languages.yaml`: a list of entries (id, source file, compile and
/// run commands, image). Adding a language is one more entry.
public struct LanguageCatalog: Sendable {
    public var languages: [LanguageSpec]

    public init(languages: [LanguageSpec]) {
        self.languages = languages
    }

    public func language(_ id: String) -> LanguageSpec? { languages.first { $0.id == id } }

    public static let knownKeys = [
        "id", "name", "image", "source", "extensions", "compile", "run", "version", "compile_time", "compile_memory",
        "time_factor", "memory_extra", "pids", "env", "template",
    ]
    static let requiredKeys = ["id", "name", "image", "source", "extensions", "run", "version"]

    /// Loads and checks `languages.yaml`; every problem is reported with its line.
    public static func load(_ url: URL, displayRoot: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        throws(ScenarioLoadError) -> LanguageCatalog
    {
        let file = ScenarioLoader(displayRoot: displayRoot).display(url)
        guard let data = FileManager.default.contents(atPath: url.path), let text = String(data: data, encoding: .utf8) else {
            throw ScenarioLoadError(
                slug: "languages",
                diagnostics: [
                    ScenarioDiagnostic(
                        file: file, message: "cannot be read; give the judge's language list with --languages or BREAKFIX_LANGUAGES.")
                ])
        }
        return try parse(text, file: file)
    }

    public static func parse(_ text: String, file: String) throws(ScenarioLoadError) -> LanguageCatalog {
        var problems = Problems(folder: file)
        let before = problems.list.count
        let root = YAMLDocument.root(text, file: file, problems: &problems)
        var languages: [LanguageSpec] = []
        if problems.list.count == before {
            if let root, case .sequence(let entries) = root {
                for entry in entries {
                    guard case .mapping(let mapping) = entry else {
                        problems.add(file, entry.mark?.line, "every entry must be a mapping with id:, name:, image:, source:, run: …")
                        continue
                    }
                    if let language = parseEntry(mapping, file: file, line: entry.mark?.line, problems: &problems) {
                        if languages.contains(where: { $0.id == language.id }) {
                            problems.add(file, entry.mark?.line, "language \"\(language.id)\" appears twice; keep one.")
                        }
                        languages.append(language)
                    }
                }
                if entries.isEmpty { problems.add(file, nil, "lists no language; add at least one.") }
            } else {
                problems.add(file, root?.mark?.line, "must be a list of languages, each starting with \"- id: …\".")
            }
        }
        guard problems.list.isEmpty else { throw ScenarioLoadError(slug: "languages", diagnostics: problems.list) }
        return LanguageCatalog(languages: languages)
    }

    static func parseEntry(_ mapping: Node.Mapping, file: String, line: Int?, problems: inout Problems) -> LanguageSpec? {
        let before = problems.list.count
        var fields = Fields(file: file)
        fields.collect(mapping, known: knownKeys, context: nil, problems: &problems)
        for key in requiredKeys where fields[key] == nil {
            problems.add(file, line, "\(key) is missing; every language needs \(requiredKeys.joined(separator: ", ")).")
        }
        let id = fields.string("id", problems: &problems, maxLength: 32)
        if let id, !ScenarioLoader.isValidSlug(id.replacingOccurrences(of: "_", with: "-")) {
            problems.add(file, fields.line("id"), "id \"\(id)\" must be lowercase letters, digits, dashes.")
        }
        let name = fields.string("name", problems: &problems, maxLength: 60)
        let image = fields.string("image", problems: &problems, maxLength: 200)
        let source = fields.string("source", problems: &problems, maxLength: 64)
        if let source, source.contains("/") || source.hasPrefix(".") {
            problems.add(file, fields.line("source"), "source \"\(source)\" must be a plain file name such as main.c.")
        }
        let extensions = fields.stringList("extensions", problems: &problems)
        let compile = fields.stringList("compile", problems: &problems)
        let run = fields.stringList("run", problems: &problems)
        let version = fields.stringList("version", problems: &problems)
        let environment = fields.stringList("env", problems: &problems) ?? []
        for entry in environment where !entry.contains("=") {
            problems.add(file, fields.line("env"), "env entry \"\(entry)\" must look like NAME=value.")
        }
        let template = fields.string("template", problems: &problems, maxLength: 20_000) ?? ""
        var compileTime: Duration = .seconds(30)
        if let (value, line) = fields.scalar("compile_time", problems: &problems) {
            if let parsed = Units.parseShortDuration(value), parsed <= .seconds(300) {
                compileTime = parsed
            } else {
                problems.add(file, line, "compile_time \"\(value)\" is not a duration up to 300s, like 30s.")
            }
        }
        var compileMemory: Int64 = 1 << 30
        if let (value, line) = fields.scalar("compile_memory", problems: &problems) {
            if let parsed = Units.parseSize(value), parsed >= 32 << 20 { compileMemory = parsed } else {
                problems.add(file, line, "compile_memory \"\(value)\" is not a size of at least 32m, like 1g.")
            }
        }
        var memoryExtra: Int64 = 0
        if let (value, line) = fields.scalar("memory_extra", problems: &problems) {
            if value == "0" { memoryExtra = 0 } else if let parsed = Units.parseSize(value) { memoryExtra = parsed } else {
                problems.add(file, line, "memory_extra \"\(value)\" is not a size like 64m.")
            }
        }
        var timeFactor = 1.0
        if let (value, line) = fields.scalar("time_factor", problems: &problems) {
            if let parsed = Double(value), parsed >= 1, parsed <= 10 { timeFactor = parsed } else {
                problems.add(file, line, "time_factor \"\(value)\" is not a number from 1 to 10.")
            }
        }
        var pids = 64
        if let (value, line) = fields.scalar("pids", problems: &problems) {
            if let parsed = Int(value), parsed >= 8, parsed <= 4096 { pids = parsed } else {
                problems.add(file, line, "pids \"\(value)\" is not a whole number from 8 to 4096.")
            }
        }
        if let run, run.isEmpty { problems.add(file, fields.line("run"), "run is empty; give the command as a list.") }
        if let compile, compile.isEmpty { problems.add(file, fields.line("compile"), "compile is empty; leave it out for an interpreted language.") }
        guard problems.list.count == before, let id, let name, let image, let source, let extensions, let run, let version
        else { return nil }
        return LanguageSpec(
            id: id, name: name, image: image, sourceFile: source, extensions: extensions, compile: compile, run: run,
            version: version, compileTime: compileTime, compileMemoryBytes: compileMemory, timeFactor: timeFactor,
            memoryExtraBytes: memoryExtra, pids: pids, environment: environment, template: template)
    }
}
