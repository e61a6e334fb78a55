import BreakfixCore
import Foundation
import Yams

/// Reads and validates one scenario folder: `scenario.yaml`, `Dockerfile`, the scripts.
/// Every problem is reported with its file, its line where there is one, and what is expected.
public struct ScenarioLoader: Sendable {
    /// Paths in messages are shown relative to this folder when they lie below it.
    public var displayRoot: URL

    public init(displayRoot: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)) {
        self.displayRoot = displayRoot
    }

    public static let knownKeys = [
        "title", "area", "difficulty", "time_limit", "tags", "init", "user", "resources", "network", "tmpfs",
        "description", "clues", "solution_notes",
    ]
    static let requiredKeys = ["title", "difficulty", "time_limit", "description"]
    public static let resourceKeys = ["memory", "cpus", "pids", "disk", "open_files"]
    static let maxScriptBytes = 1 << 20

    /// Loads the scenario in `directory`; the folder's name is the slug.
    public func load(_ directory: URL) throws(ScenarioLoadError) -> ScenarioBundle {
        let directory = directory.standardizedFileURL
        let slug = directory.lastPathComponent
        var problems = Problems(folder: display(directory))

        if !Self.isValidSlug(slug) {
            problems.add(
                nil, nil,
                "the folder name \"\(slug)\" is not a valid slug: use lowercase letters, digits and dashes (at most 63).")
        }

        let yamlFile = directory.appendingPathComponent("scenario.yaml")
        var scenario: Scenario?
        if let text = readText(yamlFile, into: &problems) {
            scenario = parseMetadata(text, slug: slug, file: display(yamlFile), problems: &problems)
        }

        let dockerfile = directory.appendingPathComponent("Dockerfile")
        if let text = readText(dockerfile, into: &problems) {
            checkDockerfile(text, file: display(dockerfile), problems: &problems)
        }

        let check = readScript("check.sh", in: directory, required: true, problems: &problems)
        let start = readScript("start.sh", in: directory, required: false, problems: &problems)
        let solution = readScript("solution.sh", in: directory, required: false, problems: &problems)

        guard problems.list.isEmpty, let scenario, let check else {
            throw ScenarioLoadError(slug: slug, diagnostics: problems.list)
        }
        let hash: String
        do {
            hash = try ContentHash.of(directory: directory, excluding: ScenarioBundle.secretFiles)
        } catch {
            throw ScenarioLoadError(
                slug: slug,
                diagnostics: [ScenarioDiagnostic(file: display(directory), message: "cannot read the folder: \(error)")])
        }
        return ScenarioBundle(
            scenario: scenario, directory: directory, startScript: start, checkScript: check, solutionScript: solution,
            contentHash: hash)
    }

    public static func isValidSlug(_ slug: String) -> Bool {
        guard let first = slug.first, first.isASCII, first.isLetter || first.isNumber, slug.count <= 63 else {
            return false
        }
        return slug.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") }
    }

    // MARK: - scenario.yaml

    /// Parses `scenario.yaml` text. Returns nil (with problems recorded) when it is not valid.
    func parseMetadata(_ text: String, slug: String, file: String, problems: inout Problems) -> Scenario? {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch YamlError.duplicatedKeysInMapping(let duplicates, _) {
            // Yams reports no line for this one: point at the key's second occurrence.
            for key in duplicates.sorted() {
                let lines = text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
                    .filter { $0.element.hasPrefix("\(key):") }.map { $0.offset + 1 }
                problems.add(file, lines.dropFirst().first, "\(key) appears twice; keep one.")
            }
            return nil
        } catch let error as YamlError {
            problems.add(file, Self.line(of: error), "is not valid YAML: \(Self.problem(of: error))")
            return nil
        } catch {
            problems.add(file, nil, "is not valid YAML: \(error)")
            return nil
        }
        guard let root, case .mapping(let mapping) = root else {
            problems.add(
                file, root?.mark?.line, "must be a mapping of keys such as title:, difficulty: and time_limit:.")
            return nil
        }
        let before = problems.list.count
        var fields = Fields(file: file)
        fields.collect(mapping, known: Self.knownKeys, context: nil, problems: &problems)
        for key in Self.requiredKeys where fields[key] == nil {
            problems.add(file, nil, "\(key) is missing; every scenario needs \(Self.requiredKeys.joined(separator: ", ")).")
        }

        let title = fields.string("title", problems: &problems, maxLength: 120)
        let area = fields.string("area", problems: &problems, maxLength: 40)
        let difficulty = fields.choice("difficulty", Difficulty.self, problems: &problems)
        let initKind = fields.choice("init", InitKind.self, problems: &problems) ?? .shell
        let network = fields.choice("network", NetworkPolicy.self, problems: &problems) ?? .none
        var timeLimit: Duration?
        if let (value, line) = fields.scalar("time_limit", problems: &problems) {
            timeLimit = Units.parseDuration(value)
            if timeLimit == nil {
                problems.add(file, line, "time_limit \"\(value)\" is not a duration like 15m or 1h30m.")
            }
        }
        let user = fields.string("user", problems: &problems, maxLength: 32) ?? "admin"
        if let line = fields.line("user"), !Self.isValidUserName(user) {
            problems.add(file, line, "user \"\(user)\" is not a valid login name (lowercase letters, digits, - and _).")
        }
        let tags = fields.stringList("tags", problems: &problems) ?? []
        for tag in tags where !Self.isValidSlug(tag) {
            problems.add(
                file, fields.line("tags"), "tag \"\(tag)\" is not valid: use lowercase letters, digits and dashes.")
        }
        let clues = fields.stringList("clues", problems: &problems) ?? []
        let description = fields.string("description", problems: &problems, maxLength: 20_000)
        let notes = fields.string("solution_notes", problems: &problems, maxLength: 20_000) ?? ""
        let limits = parseResources(&fields, problems: &problems)
        let tmpfs = parseTmpfs(&fields, problems: &problems)

        guard problems.list.count == before, let title, let difficulty, let timeLimit, let description else {
            return nil
        }
        return Scenario(
            slug: slug, title: title, area: area, difficulty: difficulty, timeLimit: timeLimit, tags: tags,
            initKind: initKind, user: user, limits: limits, network: network, extraTmpfs: tmpfs,
            description: description, clues: clues, solutionNotes: notes)
    }

    private func parseResources(_ fields: inout Fields, problems: inout Problems) -> ResourceLimits {
        var limits = ResourceLimits.default
        guard let (node, line) = fields.node("resources") else { return limits }
        guard case .mapping(let mapping) = node else {
            problems.add(fields.file, line, "resources must be a mapping like { memory: 256m, cpus: 0.5, pids: 256 }.")
            return limits
        }
        var sub = Fields(file: fields.file)
        sub.collect(mapping, known: Self.resourceKeys, context: "resources", problems: &problems)
        for key in ["memory", "disk"] {
            guard let (value, line) = sub.scalar(key, problems: &problems) else { continue }
            guard let bytes = Units.parseSize(value) else {
                problems.add(fields.file, line, "resources.\(key) \"\(value)\" is not a size like 256m or 1g.")
                continue
            }
            if key == "memory" {
                if bytes < 16 << 20 {
                    problems.add(fields.file, line, "resources.memory \"\(value)\" is too small; give at least 16m.")
                }
                limits.memoryBytes = bytes
            } else {
                limits.diskBytes = bytes
            }
        }
        if let (value, line) = sub.scalar("cpus", problems: &problems) {
            if let cpus = Double(value), cpus > 0, cpus <= 64 {
                limits.cpus = cpus
            } else {
                problems.add(fields.file, line, "resources.cpus \"\(value)\" is not a number of CPUs like 0.5 or 2.")
            }
        }
        for key in ["pids", "open_files"] {
            guard let (value, line) = sub.scalar(key, problems: &problems) else { continue }
            guard let count = Int(value), count >= 16, count <= 1_048_576 else {
                problems.add(fields.file, line, "resources.\(key) \"\(value)\" is not a whole number from 16 up.")
                continue
            }
            if key == "pids" { limits.pids = count } else { limits.openFiles = count }
        }
        return limits
    }

    private func parseTmpfs(_ fields: inout Fields, problems: inout Problems) -> [String: Int64] {
        guard let (node, line) = fields.node("tmpfs") else { return [:] }
        guard case .mapping(let mapping) = node else {
            problems.add(fields.file, line, "tmpfs must be a mapping of absolute paths to sizes, like { /var/log/app: 32m }.")
            return [:]
        }
        var result: [String: Int64] = [:]
        for (key, value) in mapping {
            let entryLine = key.mark?.line ?? line
            guard let path = key.string, path.hasPrefix("/"), !path.contains(".."), path.count > 1 else {
                problems.add(fields.file, entryLine, "tmpfs path \"\(key.string ?? "?")\" must be an absolute path.")
                continue
            }
            if ["/", "/proc", "/sys", "/dev", "/etc"].contains(path) {
                problems.add(fields.file, entryLine, "tmpfs path \"\(path)\" cannot be replaced by a tmpfs.")
                continue
            }
            guard let text = value.string, let bytes = Units.parseSize(text) else {
                problems.add(fields.file, entryLine, "tmpfs size for \(path) is not a size like 32m.")
                continue
            }
            result[path] = bytes
        }
        return result
    }

    static func isValidUserName(_ name: String) -> Bool {
        guard let first = name.first, first.isASCII, first.isLowercase || first == "_" else { return false }
        return name.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-" || $0 == "_") }
    }

    static func line(of error: YamlError) -> Int? {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _):
            return mark.line
        case .reader(_, let offset, _, let yaml):
            return offset.map { yaml.utf8.prefix($0).filter { $0 == UInt8(ascii: "\n") }.count + 1 }
        default:
            return nil
        }
    }

    static func problem(of error: YamlError) -> String {
        switch error {
        case .scanner(let context, let problem, _, _), .parser(let context, let problem, _, _),
            .composer(let context, let problem, _, _):
            return [context?.text, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
        case .reader(let problem, _, let value, _):
            // Yams' own description quotes the whole file; the character is what the author needs.
            return "\(problem) (character U+\(String(format: "%04X", Int(value))))."
        default:
            // Only the first line, and not an unbounded one: a description may quote the input.
            let first = "\(error)".split(separator: "\n").first.map(String.init) ?? "unreadable"
            return first.count > 200 ? String(first.prefix(200)) + "…" : first
        }
    }

    // MARK: - Dockerfile and scripts

    /// The image must be built on a Breakfix base image, never pulled from a registry.
    func checkDockerfile(_ text: String, file: String, problems: inout Problems) {
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            guard line.uppercased().hasPrefix("FROM ") else { continue }
            let words = line.split(separator: " ").map(String.init)
            let image = words.dropFirst().first { !$0.hasPrefix("--") } ?? ""
            if !image.hasPrefix("breakfix/") {
                problems.add(
                    file, index + 1,
                    "FROM \(image) is not a Breakfix base image; start FROM breakfix/base:bookworm or breakfix/systemd:bookworm (images are built locally, never pulled).")
            }
            return
        }
        problems.add(file, nil, "has no FROM line; start with FROM breakfix/base:bookworm or breakfix/systemd:bookworm.")
    }

    private func readScript(_ name: String, in directory: URL, required: Bool, problems: inout Problems) -> [UInt8]? {
        let url = directory.appendingPathComponent(name)
        guard FileManager.default.fileExists(atPath: url.path) else {
            if required { problems.add(display(url), nil, "is missing; every scenario needs one.") }
            return nil
        }
        guard let data = FileManager.default.contents(atPath: url.path) else {
            problems.add(display(url), nil, "cannot be read.")
            return nil
        }
        if data.isEmpty {
            problems.add(display(url), nil, "is empty.")
        } else if data.count > Self.maxScriptBytes {
            problems.add(display(url), nil, "is larger than 1 MiB; keep scripts small and put data in files/.")
        }
        return Array(data)
    }

    private func readText(_ url: URL, into problems: inout Problems) -> String? {
        guard FileManager.default.fileExists(atPath: url.path) else {
            problems.add(display(url), nil, "is missing; every scenario needs one.")
            return nil
        }
        guard let data = FileManager.default.contents(atPath: url.path),
            let text = String(data: data, encoding: .utf8)
        else {
            problems.add(display(url), nil, "cannot be read as UTF-8 text.")
            return nil
        }
        return text
    }

    func display(_ url: URL) -> String {
        let path = url.standardizedFileURL.path
        let root = displayRoot.standardizedFileURL.path
        let prefix = root.hasSuffix("/") ? root : root + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
    }
}

/// The problems found so far in one folder.
struct Problems {
    var folder: String
    var list: [ScenarioDiagnostic] = []

    mutating func add(_ file: String?, _ line: Int?, _ message: String) {
        list.append(ScenarioDiagnostic(file: file ?? folder, line: line, message: message))
    }
}

/// The keys of one YAML mapping, checked against the known ones.
struct Fields {
    let file: String
    private var values: [String: (node: Node, line: Int?)] = [:]

    init(file: String) { self.file = file }

    subscript(key: String) -> Node? { values[key]?.node }

    func line(_ key: String) -> Int? { values[key]?.line }

    mutating func collect(_ mapping: Node.Mapping, known: [String], context: String?, problems: inout Problems) {
        let prefix = context.map { "\($0)." } ?? ""
        for (keyNode, value) in mapping {
            let line = keyNode.mark?.line
            guard let key = keyNode.string, case .scalar = keyNode else {
                problems.add(file, line, "\(prefix)keys must be plain words.")
                continue
            }
            guard known.contains(key) else {
                problems.add(
                    file, line,
                    "unknown key \"\(prefix)\(key)\"" + Suggestion.hint(for: key, in: known, otherwise: "; known keys are \(known.joined(separator: ", ")).")
                )
                continue
            }
            if values[key] != nil {
                problems.add(file, line, "\(prefix)\(key) appears twice; keep one.")
                continue
            }
            values[key] = (value, line)
        }
    }

    func node(_ key: String) -> (Node, Int?)? {
        values[key].map { ($0.node, $0.line) }
    }

    /// A scalar value as text, or nil (with a problem if the value is not a scalar).
    func scalar(_ key: String, problems: inout Problems) -> (String, Int?)? {
        guard let (node, line) = node(key) else { return nil }
        guard case .scalar(let scalar) = node else {
            problems.add(file, line, "\(key) must be a single value, not a list or mapping.")
            return nil
        }
        return (scalar.string, line)
    }

    func string(_ key: String, problems: inout Problems, maxLength: Int) -> String? {
        guard let (value, line) = scalar(key, problems: &problems) else { return nil }
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty {
            problems.add(file, line, "\(key) is empty.")
            return nil
        }
        if trimmed.count > maxLength {
            problems.add(file, line, "\(key) is longer than \(maxLength) characters.")
            return nil
        }
        return value
    }

    func choice<T: RawRepresentable & CaseIterable>(_ key: String, _: T.Type, problems: inout Problems) -> T?
    where T.RawValue == String {
        guard let (value, line) = scalar(key, problems: &problems) else { return nil }
        if let parsed = T(rawValue: value) { return parsed }
        let options = T.allCases.map(\.rawValue)
        problems.add(
            file, line,
            "\(key) \"\(value)\" is not one of \(options.joined(separator: ", "))" + Suggestion.hint(for: value, in: options, otherwise: "."))
        return nil
    }

    func stringList(_ key: String, problems: inout Problems) -> [String]? {
        guard let (node, line) = node(key) else { return nil }
        guard case .sequence(let sequence) = node else {
            problems.add(file, line, "\(key) must be a list, like [a, b] or lines starting with \"- \".")
            return nil
        }
        var result: [String] = []
        for item in sequence {
            guard case .scalar(let scalar) = item,
                !scalar.string.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
            else {
                problems.add(file, item.mark?.line ?? line, "every entry of \(key) must be non-empty text.")
                continue
            }
            result.append(scalar.string)
        }
        return result
    }
}
