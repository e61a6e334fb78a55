import BreakfixCore
import Foundation
import Yams

/// Reads and validates one code-challenge folder: `challenge.yaml`, `samples/`, `tests/`, the
/// optional custom checker and `solutions/`. Problems are reported like a scenario's: file, line,
/// and what is expected instead.
public struct ChallengeLoader: Sendable {
    public var displayRoot: URL
    /// The configured languages; solutions and `languages:` are checked against them.
    public var languages: [LanguageSpec]

    public init(
        displayRoot: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath), languages: [LanguageSpec]
    ) {
        self.displayRoot = displayRoot
        self.languages = languages
    }

    public static let knownKeys = [
        "title", "difficulty", "tags", "limits", "checker", "languages", "statement", "scoring",
    ]
    static let requiredKeys = ["title", "difficulty", "statement"]
    public static let limitKeys = ["time", "wall", "memory", "output"]
    static let maxTestBytes: Int64 = 64 << 20
    static let maxTotalTestBytes: Int64 = 256 << 20
    static let maxSourceBytes = 256 << 10
    /// Custom checkers and the languages they run as.
    public static let checkerFiles = ["checker.py": "python3", "checker.c": "c"]

    /// Loads the challenge in `directory`; the folder's name is the slug.
    public func load(_ directory: URL) throws(ScenarioLoadError) -> ChallengeBundle {
        let directory = directory.standardizedFileURL
        let slug = directory.lastPathComponent
        var problems = Problems(folder: display(directory))
        if !ScenarioLoader.isValidSlug(slug) {
            problems.add(
                nil, nil,
                "the folder name \"\(slug)\" is not a valid slug: use lowercase letters, digits and dashes (at most 63).")
        }
        let yamlFile = directory.appendingPathComponent("challenge.yaml")
        var challenge: Challenge?
        if let text = readText(yamlFile, into: &problems) {
            challenge = parseMetadata(text, slug: slug, file: display(yamlFile), problems: &problems)
        }
        let samples = readTests(directory.appendingPathComponent("samples"), isSample: true, required: false, problems: &problems)
        let hidden = readTests(directory.appendingPathComponent("tests"), isSample: false, required: true, problems: &problems)
        var tests = samples + hidden
        for index in tests.indices { tests[index].number = index + 1 }
        let total = tests.reduce(Int64(0)) { $0 + Int64($1.input.count + $1.expected.count) }
        if total > Self.maxTotalTestBytes {
            problems.add(nil, nil, "the tests add up to \(total >> 20) MiB; keep them under \(Self.maxTotalTestBytes >> 20) MiB.")
        }

        let checker = readChecker(directory, kind: challenge?.checker, problems: &problems)
        let solutions = readSolutions(directory.appendingPathComponent("solutions"), problems: &problems)

        guard problems.list.isEmpty, let challenge else {
            throw ScenarioLoadError(slug: slug, diagnostics: problems.list)
        }
        let hash: String
        do {
            hash = try ContentHash.of(directory: directory, excluding: [])
        } catch {
            throw ScenarioLoadError(
                slug: slug,
                diagnostics: [ScenarioDiagnostic(file: display(directory), message: "cannot read the folder: \(error)")])
        }
        return ChallengeBundle(
            challenge: challenge, directory: directory, tests: tests, customChecker: checker, solutions: solutions,
            contentHash: hash)
    }

    // MARK: - challenge.yaml

    func parseMetadata(_ text: String, slug: String, file: String, problems: inout Problems) -> Challenge? {
        guard let mapping = YAMLDocument.mapping(text, file: file, problems: &problems, expecting: "title:, difficulty: and statement:") else {
            return nil
        }
        let before = problems.list.count
        var fields = Fields(file: file)
        fields.collect(mapping, known: Self.knownKeys, context: nil, problems: &problems)
        for key in Self.requiredKeys where fields[key] == nil {
            problems.add(file, nil, "\(key) is missing; every challenge needs \(Self.requiredKeys.joined(separator: ", ")).")
        }
        let title = fields.string("title", problems: &problems, maxLength: 120)
        let difficulty = fields.choice("difficulty", Difficulty.self, problems: &problems)
        let scoring = fields.choice("scoring", ScoringMode.self, problems: &problems) ?? .first
        let statement = fields.string("statement", problems: &problems, maxLength: 50_000)
        let tags = fields.stringList("tags", problems: &problems) ?? []
        for tag in tags where !ScenarioLoader.isValidSlug(tag) {
            problems.add(file, fields.line("tags"), "tag \"\(tag)\" is not valid: use lowercase letters, digits and dashes.")
        }
        var checker = CheckerKind.tokens
        if let (value, line) = fields.scalar("checker", problems: &problems) {
            if let parsed = Self.parseChecker(value) {
                checker = parsed
            } else {
                let options = ["exact", "tokens", "float:1e-6", "custom"]
                problems.add(
                    file, line,
                    "checker \"\(value)\" is not one of exact, tokens, float:<epsilon> (like float:1e-6), custom"
                        + Suggestion.hint(for: value, in: options, otherwise: "."))
            }
        }
        var allowed: [String]?
        if let list = fields.stringList("languages", problems: &problems) {
            let known = languages.map(\.id)
            for id in list where !known.contains(id) {
                problems.add(
                    file, fields.line("languages"),
                    "language \"\(id)\" is not configured"
                        + Suggestion.hint(for: id, in: known, otherwise: "; languages.yaml has \(known.joined(separator: ", ")).")
                )
            }
            if list.isEmpty { problems.add(file, fields.line("languages"), "languages is empty; leave it out to allow every language.") }
            allowed = list
        }
        let limits = parseLimits(&fields, problems: &problems)

        guard problems.list.count == before, let title, let difficulty, let statement else { return nil }
        return Challenge(
            slug: slug, title: title, difficulty: difficulty, tags: tags, limits: limits, checker: checker,
            languages: allowed, statement: statement, scoring: scoring)
    }

    public static func parseChecker(_ value: String) -> CheckerKind? {
        switch value {
        case "exact": return .exact
        case "tokens": return .tokens
        case "custom": return .custom
        default:
            guard value.hasPrefix("float:"), let epsilon = Double(value.dropFirst("float:".count)), epsilon > 0,
                epsilon < 1, epsilon.isFinite
            else { return nil }
            return .float(epsilon)
        }
    }

    private func parseLimits(_ fields: inout Fields, problems: inout Problems) -> ChallengeLimits {
        var limits = ChallengeLimits.default
        guard let (node, line) = fields.node("limits") else { return limits }
        guard case .mapping(let mapping) = node else {
            problems.add(fields.file, line, "limits must be a mapping like { time: 1s, wall: 3s, memory: 256m, output: 1m }.")
            return limits
        }
        var sub = Fields(file: fields.file)
        sub.collect(mapping, known: Self.limitKeys, context: "limits", problems: &problems)
        var wallGiven = false
        for key in ["time", "wall"] {
            guard let (value, line) = sub.scalar(key, problems: &problems) else { continue }
            guard let duration = Units.parseShortDuration(value),
                duration >= .milliseconds(50), duration <= .seconds(60)
            else {
                problems.add(fields.file, line, "limits.\(key) \"\(value)\" is not a duration from 50ms to 60s, like 1s or 500ms.")
                continue
            }
            if key == "time" { limits.cpuTime = duration } else { limits.wallTime = duration; wallGiven = true }
        }
        if !wallGiven { limits.wallTime = max(limits.cpuTime * 3, limits.cpuTime + .seconds(1)) }
        if limits.wallTime < limits.cpuTime {
            problems.add(fields.file, sub.line("wall"), "limits.wall is shorter than limits.time; wall time is at least the CPU time.")
        }
        if let (value, line) = sub.scalar("memory", problems: &problems) {
            if let bytes = Units.parseSize(value), bytes >= 16 << 20, bytes <= 4 << 30 {
                limits.memoryBytes = bytes
            } else {
                problems.add(fields.file, line, "limits.memory \"\(value)\" is not a size from 16m to 4g, like 256m.")
            }
        }
        if let (value, line) = sub.scalar("output", problems: &problems) {
            if let bytes = Units.parseSize(value), bytes >= 1 << 10, bytes <= 256 << 20 {
                limits.outputBytes = bytes
            } else {
                problems.add(fields.file, line, "limits.output \"\(value)\" is not a size from 1k to 256m, like 1m.")
            }
        }
        return limits
    }

    // MARK: - Files

    /// `NN.in` + `NN.out` pairs of a folder, by name.
    private func readTests(_ folder: URL, isSample: Bool, required: Bool, problems: inout Problems) -> [ChallengeTest] {
        let fm = FileManager.default
        let kind = isSample ? "samples" : "tests"
        guard let names = try? fm.contentsOfDirectory(atPath: folder.path) else {
            if required {
                problems.add(display(folder), nil, "is missing; put the hidden tests there as 01.in and 01.out, 02.in and 02.out, …")
            }
            return []
        }
        var stems = Set<String>()
        for name in names where !name.hasPrefix(".") {
            let url = folder.appendingPathComponent(name)
            guard name.hasSuffix(".in") || name.hasSuffix(".out") else {
                problems.add(display(url), nil, "is not a test file; \(kind)/ holds only NN.in and NN.out pairs.")
                continue
            }
            stems.insert(String(name.prefix(upTo: name.lastIndex(of: ".")!)))
        }
        var tests: [ChallengeTest] = []
        for stem in stems.sorted(by: Self.naturalOrder) {
            let input = folder.appendingPathComponent(stem + ".in")
            let output = folder.appendingPathComponent(stem + ".out")
            guard fm.fileExists(atPath: input.path) else {
                problems.add(display(output), nil, "has no \(stem).in beside it; every expected output needs its input.")
                continue
            }
            guard fm.fileExists(atPath: output.path) else {
                problems.add(display(input), nil, "has no \(stem).out beside it; every input needs its expected output.")
                continue
            }
            guard let inBytes = readBytes(input, limit: Self.maxTestBytes, problems: &problems),
                let outBytes = readBytes(output, limit: Self.maxTestBytes, problems: &problems)
            else { continue }
            tests.append(ChallengeTest(number: 0, name: stem, input: inBytes, expected: outBytes, isSample: isSample))
        }
        if required && tests.isEmpty && problems.list.allSatisfy({ !$0.file.hasPrefix(display(folder)) }) {
            problems.add(display(folder), nil, "has no tests; add at least 01.in and 01.out.")
        }
        return tests
    }

    /// `2` before `10`; otherwise by name.
    static func naturalOrder(_ a: String, _ b: String) -> Bool {
        if let x = Int(a), let y = Int(b), x != y { return x < y }
        return a < b
    }

    private func readChecker(_ directory: URL, kind: CheckerKind?, problems: inout Problems) -> CustomChecker? {
        let present = Self.checkerFiles.keys.sorted().filter {
            FileManager.default.fileExists(atPath: directory.appendingPathComponent($0).path)
        }
        guard kind == .custom else {
            if let name = present.first, kind != nil {
                problems.add(
                    display(directory.appendingPathComponent(name)), nil,
                    "is only used with checker: custom; set that in challenge.yaml or remove the file.")
            }
            return nil
        }
        guard present.count == 1, let name = present.first, let language = Self.checkerFiles[name] else {
            problems.add(
                display(directory), nil,
                present.isEmpty
                    ? "checker: custom needs checker.py or checker.c (run as `checker INPUT EXPECTED ACTUAL`, printing OK or NO and one line of feedback)."
                    : "has both checker.py and checker.c; keep one.")
            return nil
        }
        let url = directory.appendingPathComponent(name)
        guard let bytes = readBytes(url, limit: Int64(Self.maxSourceBytes), problems: &problems) else { return nil }
        if !languages.contains(where: { $0.id == language }) {
            problems.add(display(url), nil, "needs the \(language) language, which languages.yaml does not configure.")
        }
        return CustomChecker(fileName: name, source: bytes, language: language)
    }

    private func readSolutions(_ folder: URL, problems: inout Problems) -> [ReferenceSolution] {
        let fm = FileManager.default
        guard let names = try? fm.contentsOfDirectory(atPath: folder.path) else {
            problems.add(display(folder), nil, "is missing; add at least one accepted program named ac-<name>.<ext>.")
            return []
        }
        let prefixes = Verdict.allCases.filter { $0 != .IE }.map(\.solutionPrefix)
        let byExtension = Dictionary(
            languages.flatMap { language in language.extensions.map { ($0, language.id) } }, uniquingKeysWith: { a, _ in a })
        var solutions: [ReferenceSolution] = []
        for name in names.sorted() where !name.hasPrefix(".") {
            let url = folder.appendingPathComponent(name)
            guard let verdict = Verdict.allCases.first(where: { $0 != .IE && name.hasPrefix($0.solutionPrefix) }) else {
                let word = String(name.prefix(while: { $0 != "-" && $0 != "." })) + "-"
                problems.add(
                    display(url), nil,
                    "does not start with the verdict it must get: one of \(prefixes.joined(separator: ", "))"
                        + Suggestion.hint(for: word, in: prefixes, otherwise: "."))
                continue
            }
            let ext = (name as NSString).pathExtension
            guard let language = byExtension[ext] else {
                problems.add(
                    display(url), nil,
                    "has the extension .\(ext), which no configured language uses; known: \(byExtension.keys.sorted().map { "." + $0 }.joined(separator: ", ")).")
                continue
            }
            guard let bytes = readBytes(url, limit: Int64(Self.maxSourceBytes), problems: &problems) else { continue }
            guard let source = String(bytes: bytes, encoding: .utf8) else {
                problems.add(display(url), nil, "is not UTF-8 text.")
                continue
            }
            solutions.append(ReferenceSolution(fileName: name, expected: verdict, language: language, source: source))
        }
        if !solutions.contains(where: { $0.expected == .AC }) && !names.isEmpty || names.isEmpty {
            problems.add(display(folder), nil, "has no accepted program; add at least one named ac-<name>.<ext>.")
        }
        return solutions
    }

    private func readBytes(_ url: URL, limit: Int64, problems: inout Problems) -> [UInt8]? {
        let size = ((try? FileManager.default.attributesOfItem(atPath: url.path))?[.size] as? NSNumber)?.int64Value ?? 0
        if size > limit {
            problems.add(display(url), nil, "is \(size >> 20) MiB; keep it under \(limit >> 20) MiB.")
            return nil
        }
        guard let data = FileManager.default.contents(atPath: url.path) else {
            problems.add(display(url), nil, "cannot be read.")
            return nil
        }
        return Array(data)
    }

    private func readText(_ url: URL, into problems: inout Problems) -> String? {
        guard FileManager.default.fileExists(atPath: url.path) else {
            problems.add(display(url), nil, "is missing; every challenge needs one.")
            return nil
        }
        guard let data = FileManager.default.contents(atPath: url.path), let text = String(data: data, encoding: .utf8) else {
            problems.add(display(url), nil, "cannot be read as UTF-8 text.")
            return nil
        }
        return text
    }

    func display(_ url: URL) -> String {
        ScenarioLoader(displayRoot: displayRoot).display(url)
    }
}

/// Finds code challenges on disk: a path is either one challenge folder or a folder of them.
public struct ChallengeLibrary: Sendable {
    public var root: URL
    public var loader: ChallengeLoader

    public init(root: URL, loader: ChallengeLoader) {
        self.root = root
        self.loader = loader
    }

    public func folders() throws -> [URL] {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: root.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ProvisionError("\(root.path) is not a folder; give a challenge folder or a folder of challenges with --path.")
        }
        if fm.fileExists(atPath: root.appendingPathComponent("challenge.yaml").path) { return [root] }
        return try fm.contentsOfDirectory(atPath: root.path).sorted().compactMap { name in
            let url = root.appendingPathComponent(name)
            var dir: ObjCBool = false
            guard !name.hasPrefix("."), fm.fileExists(atPath: url.path, isDirectory: &dir), dir.boolValue else { return nil }
            return url
        }
    }

    /// The named challenges (all when `slugs` is empty); an unknown slug is an error with a did-you-mean.
    public func load(slugs: [String] = []) throws -> [Result<ChallengeBundle, ScenarioLoadError>] {
        let folders = try folders()
        if slugs.isEmpty { return folders.map { folder in Result { () throws(ScenarioLoadError) in try loader.load(folder) } } }
        let known = folders.map(\.lastPathComponent)
        return slugs.map { slug in
            guard let folder = folders.first(where: { $0.lastPathComponent == slug }) else {
                return .failure(
                    ScenarioLoadError(
                        slug: slug,
                        diagnostics: [
                            ScenarioDiagnostic(
                                file: loader.display(root),
                                message: "there is no challenge \"\(slug)\"" + Suggestion.hint(for: slug, in: known, otherwise: "."))
                        ]))
            }
            return Result { () throws(ScenarioLoadError) in try loader.load(folder) }
        }
    }
}

/// Parsing a YAML document's root with the scenario loader's error reporting.
enum YAMLDocument {
    static func root(_ text: String, file: String, problems: inout Problems) -> Node? {
        do {
            return try Yams.compose(yaml: text)
        } catch YamlError.duplicatedKeysInMapping(let duplicates, let context) {
            // Yams marks the first occurrence of the first duplicated key: for that key, point at the
            // next one after it (the right entry of a list such as languages.yaml); for the others,
            // at the second occurrence in the file. Keys may follow a list's "- ".
            let sorted = duplicates.sorted()
            for key in sorted {
                let lines = text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
                    .filter { line in
                        var rest = line.element.trimmingCharacters(in: .whitespaces)
                        while rest.hasPrefix("- ") { rest = rest.dropFirst(2).trimmingCharacters(in: .whitespaces) }
                        return rest.hasPrefix("\(key):")
                    }.map { $0.offset + 1 }
                let line = key == sorted.first ? lines.first(where: { $0 > context.mark.line }) : lines.dropFirst().first
                problems.add(file, line, "\(key) appears twice; keep one.")
            }
        } catch let error as YamlError {
            problems.add(file, ScenarioLoader.line(of: error), "is not valid YAML: \(ScenarioLoader.problem(of: error))")
        } catch {
            problems.add(file, nil, "is not valid YAML: \(error)")
        }
        return nil
    }

    static func mapping(_ text: String, file: String, problems: inout Problems, expecting: String) -> Node.Mapping? {
        let before = problems.list.count
        let root = root(text, file: file, problems: &problems)
        guard problems.list.count == before else { return nil }
        guard let root, case .mapping(let mapping) = root else {
            problems.add(file, root?.mark?.line, "must be a mapping of keys such as \(expecting).")
            return nil
        }
        return mapping
    }
}
