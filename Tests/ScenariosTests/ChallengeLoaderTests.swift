import BreakfixCore
import Foundation
import Testing

@testable import Scenarios

/// A code-challenge folder in a temporary directory, removed when the test ends. `files` maps
/// paths inside the folder to their text; nil removes a default file.
struct ChallengeFolder: ~Copyable {
    let root: URL
    let folder: URL

    static let validYAML = """
        title: "Sum of two"
        difficulty: medium
        tags: [math, io]
        limits: { time: 500ms, wall: 2s, memory: 256m, output: 1m }
        checker: float:1e-6
        languages: [c, python3]
        statement: |
          Print a + b.
        """

    static let defaultFiles: [String: String] = [
        "challenge.yaml": validYAML,
        "samples/01.in": "1 2\n",
        "samples/01.out": "3\n",
        "tests/1.in": "5 5\n",
        "tests/1.out": "10\n",
        "tests/2.in": "2 2\n",
        "tests/2.out": "4\n",
        "tests/10.in": "7 3\n",
        "tests/10.out": "10\n",
        "solutions/ac-main.c": "int main(void) { return 0; }\n",
        "solutions/wa-greedy.py": "print(0)\n",
    ]

    init(slug: String = "sum-two", yaml: String? = ChallengeFolder.validYAML, files: [String: String?] = [:]) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("breakfix-challenge-\(UUID().uuidString)")
        folder = root.appendingPathComponent(slug)
        var all: [String: String?] = Self.defaultFiles.mapValues { $0 }
        all["challenge.yaml"] = yaml
        for (path, text) in files { all[path] = text }
        for (path, text) in all {
            guard let text else { continue }
            let url = folder.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: root) }

    static let languages: [LanguageSpec] = [
        LanguageSpec(
            id: "c", name: "C", image: "breakfix/judge-c", sourceFile: "main.c", extensions: ["c"], compile: ["gcc", "main.c"],
            run: ["./a.out"], version: ["gcc", "--version"]),
        LanguageSpec(
            id: "python3", name: "Python 3", image: "breakfix/judge-python", sourceFile: "main.py", extensions: ["py"],
            compile: nil, run: ["python3", "main.py"], version: ["python3", "--version"]),
        LanguageSpec(
            id: "cpp", name: "C++", image: "breakfix/judge-cpp", sourceFile: "main.cpp", extensions: ["cpp", "cc"],
            compile: ["g++", "main.cpp"], run: ["./a.out"], version: ["g++", "--version"]),
    ]

    var loader: ChallengeLoader { ChallengeLoader(displayRoot: root, languages: Self.languages) }

    /// The diagnostics of a load that must fail.
    func problems() -> [String] {
        do {
            let bundle = try loader.load(folder)
            Issue.record("expected the challenge to be refused, it loaded: \(bundle.challenge)")
            return []
        } catch {
            #expect(!error.diagnostics.isEmpty)
            return error.diagnostics.map(\.description)
        }
    }
}

/// The valid challenge.yaml with the line starting `key:` replaced (nil: removed), or appended.
func challengeYAML(replacing key: String, with line: String?) -> String {
    var lines = ChallengeFolder.validYAML.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    if let i = lines.firstIndex(where: { $0.hasPrefix("\(key):") }) {
        if let line { lines[i] = line } else { lines.remove(at: i) }
    } else if let line {
        lines.append(line)
    }
    return lines.joined(separator: "\n")
}

@Suite struct ChallengeLoaderTests {
    @Test func loadsAValidChallenge() throws {
        let folder = try ChallengeFolder()
        let bundle = try folder.loader.load(folder.folder)
        let c = bundle.challenge
        #expect(c.slug == "sum-two")
        #expect(c.title == "Sum of two")
        #expect(c.difficulty == .medium)
        #expect(c.tags == ["math", "io"])
        #expect(c.limits.cpuTime == .milliseconds(500))
        #expect(c.limits.wallTime == .seconds(2))
        #expect(c.limits.memoryBytes == 256 << 20)
        #expect(c.limits.outputBytes == 1 << 20)
        #expect(c.checker == .float(1e-6))
        #expect(c.languages == ["c", "python3"])
        #expect(c.allows(language: "c") && !c.allows(language: "cpp"))
        #expect(c.statement == "Print a + b.")
        #expect(c.scoring == .first)

        // Samples first, then hidden tests in natural order (2 before 10), numbered from 1.
        #expect(bundle.tests.map(\.name) == ["01", "1", "2", "10"])
        #expect(bundle.tests.map(\.number) == [1, 2, 3, 4])
        #expect(bundle.tests.map(\.isSample) == [true, false, false, false])
        #expect(bundle.samples.map(\.name) == ["01"])
        #expect(bundle.tests[3].input == Array("7 3\n".utf8))
        #expect(bundle.tests[3].expected == Array("10\n".utf8))

        #expect(bundle.customChecker == nil)
        #expect(bundle.solutions.map(\.fileName) == ["ac-main.c", "wa-greedy.py"])
        #expect(bundle.solutions.map(\.expected) == [.AC, .WA])
        #expect(bundle.solutions.map(\.language) == ["c", "python3"])
        #expect(bundle.solutions[1].source == "print(0)\n")
        #expect(bundle.contentHash.count == 64)
    }

    @Test func defaultsAndOptionalParts() throws {
        let yaml = """
            title: Echo
            difficulty: easy
            statement: Print the input.
            limits: { time: 1.5s }
            checker: exact
            scoring: all
            """
        let folder = try ChallengeFolder(
            yaml: yaml, files: ["samples/01.in": nil, "samples/01.out": nil, "solutions/ac-fast.cc": "int main() {}\n"])
        let bundle = try folder.loader.load(folder.folder)
        #expect(bundle.challenge.languages == nil)
        #expect(bundle.challenge.allows(language: "cpp"))
        #expect(bundle.challenge.checker == .exact)
        #expect(bundle.challenge.scoring == .all)
        #expect(bundle.challenge.tags.isEmpty)
        #expect(bundle.challenge.limits.cpuTime == .milliseconds(1500))
        // Without a wall limit: three times the CPU time (at least one second more).
        #expect(bundle.challenge.limits.wallTime == .milliseconds(4500))
        #expect(bundle.challenge.limits.memoryBytes == ChallengeLimits.default.memoryBytes)
        #expect(bundle.challenge.limits.outputBytes == ChallengeLimits.default.outputBytes)
        #expect(bundle.samples.isEmpty)
        #expect(bundle.tests.map(\.number) == [1, 2, 3])
        #expect(bundle.solutions.first { $0.fileName == "ac-fast.cc" }?.language == "cpp")

        let noChecker = try ChallengeFolder(yaml: challengeYAML(replacing: "checker", with: nil))
        #expect(try noChecker.loader.load(noChecker.folder).challenge.checker == .tokens)
        let shortTime = try ChallengeFolder(yaml: challengeYAML(replacing: "limits", with: "limits: { time: 100ms }"))
        #expect(try shortTime.loader.load(shortTime.folder).challenge.limits.wallTime == .milliseconds(1100))
    }

    @Test func aCustomChecker() throws {
        let folder = try ChallengeFolder(
            yaml: challengeYAML(replacing: "checker", with: "checker: custom"), files: ["checker.py": "print('OK')\n"])
        let bundle = try folder.loader.load(folder.folder)
        #expect(bundle.challenge.checker == .custom)
        #expect(bundle.customChecker == CustomChecker(fileName: "checker.py", source: Array("print('OK')\n".utf8), language: "python3"))
    }

    @Test func checkerValues() {
        #expect(ChallengeLoader.parseChecker("exact") == .exact)
        #expect(ChallengeLoader.parseChecker("tokens") == .tokens)
        #expect(ChallengeLoader.parseChecker("custom") == .custom)
        #expect(ChallengeLoader.parseChecker("float:1e-6") == .float(1e-6))
        #expect(ChallengeLoader.parseChecker("float:0.001") == .float(0.001))
        for bad in ["float:", "float:0", "float:-1e-6", "float:1", "float:nan", "float:inf", "float", "Exact", "flaot:1e-6", ""] {
            #expect(ChallengeLoader.parseChecker(bad) == nil, "\(bad)")
        }
    }

    /// Each bad challenge.yaml and the exact line an author gets.
    static let badYAML: [(String, String)] = [
        (challengeYAML(replacing: "title", with: "tittle: \"Sum of two\""),
         "sum-two/challenge.yaml:1: unknown key \"tittle\"; did you mean \"title\"?"),
        (challengeYAML(replacing: "title", with: nil),
         "sum-two/challenge.yaml: title is missing; every challenge needs title, difficulty, statement."),
        (challengeYAML(replacing: "zzz", with: "colour: blue"),
         "sum-two/challenge.yaml:9: unknown key \"colour\"; known keys are title, difficulty, tags, limits, checker, languages, statement, scoring."),
        (challengeYAML(replacing: "difficulty", with: "difficulty: impossible"),
         "sum-two/challenge.yaml:2: difficulty \"impossible\" is not one of easy, medium, hard."),
        (challengeYAML(replacing: "difficulty", with: "difficulty: meduim"),
         "sum-two/challenge.yaml:2: difficulty \"meduim\" is not one of easy, medium, hard; did you mean \"medium\"?"),
        (challengeYAML(replacing: "checker", with: "checker: flaot:1e-6"),
         "sum-two/challenge.yaml:5: checker \"flaot:1e-6\" is not one of exact, tokens, float:<epsilon> (like float:1e-6), custom; did you mean \"float:1e-6\"?"),
        (challengeYAML(replacing: "checker", with: "checker: tokenz"),
         "sum-two/challenge.yaml:5: checker \"tokenz\" is not one of exact, tokens, float:<epsilon> (like float:1e-6), custom; did you mean \"tokens\"?"),
        (challengeYAML(replacing: "checker", with: "checker: [exact]"),
         "sum-two/challenge.yaml:5: checker must be a single value, not a list or mapping."),
        (challengeYAML(replacing: "limits", with: "limits: { time: 2s, wall: 1s }"),
         "sum-two/challenge.yaml:4: limits.wall is shorter than limits.time; wall time is at least the CPU time."),
        (challengeYAML(replacing: "limits", with: "limits: { time: 90s }"),
         "sum-two/challenge.yaml:4: limits.time \"90s\" is not a duration from 50ms to 60s, like 1s or 500ms."),
        (challengeYAML(replacing: "limits", with: "limits: { time: 10ms }"),
         "sum-two/challenge.yaml:4: limits.time \"10ms\" is not a duration from 50ms to 60s, like 1s or 500ms."),
        (challengeYAML(replacing: "limits", with: "limits: { time: 1 }"),
         "sum-two/challenge.yaml:4: limits.time \"1\" is not a duration from 50ms to 60s, like 1s or 500ms."),
        (challengeYAML(replacing: "limits", with: "limits: { memory: 8m }"),
         "sum-two/challenge.yaml:4: limits.memory \"8m\" is not a size from 16m to 4g, like 256m."),
        (challengeYAML(replacing: "limits", with: "limits: { output: 1g }"),
         "sum-two/challenge.yaml:4: limits.output \"1g\" is not a size from 1k to 256m, like 1m."),
        (challengeYAML(replacing: "limits", with: "limits: { time: 1s, memroy: 256m }"),
         "sum-two/challenge.yaml:4: unknown key \"limits.memroy\"; did you mean \"memory\"?"),
        (challengeYAML(replacing: "limits", with: "limits: 1s"),
         "sum-two/challenge.yaml:4: limits must be a mapping like { time: 1s, wall: 3s, memory: 256m, output: 1m }."),
        (challengeYAML(replacing: "languages", with: "languages: [c, pyhton3]"),
         "sum-two/challenge.yaml:6: language \"pyhton3\" is not configured; did you mean \"python3\"?"),
        (challengeYAML(replacing: "languages", with: "languages: [haskell]"),
         "sum-two/challenge.yaml:6: language \"haskell\" is not configured; languages.yaml has c, python3, cpp."),
        (challengeYAML(replacing: "languages", with: "languages: []"),
         "sum-two/challenge.yaml:6: languages is empty; leave it out to allow every language."),
        (challengeYAML(replacing: "tags", with: "tags: [Math]"),
         "sum-two/challenge.yaml:3: tag \"Math\" is not valid: use lowercase letters, digits and dashes."),
        (challengeYAML(replacing: "zzz", with: "scoring: partial"),
         "sum-two/challenge.yaml:9: scoring \"partial\" is not one of first, all."),
        (challengeYAML(replacing: "zzz", with: "title: again"),
         "sum-two/challenge.yaml:9: title appears twice; keep one."),
        ("- a\n- list\n", "sum-two/challenge.yaml:1: must be a mapping of keys such as title:, difficulty: and statement:."),
    ]

    @Test(arguments: badYAML)
    func reportsBadMetadata(yaml: String, expected: String) throws {
        let folder = try ChallengeFolder(yaml: yaml)
        let problems = folder.problems()
        #expect(problems.contains(expected), "got \(problems)")
    }

    /// Problems with the folder's files: each names the file and says what to do.
    static let badFiles: [(String, [String: String?], String)] = [
        ("missing tests/", ["tests/1.in": nil, "tests/1.out": nil, "tests/2.in": nil, "tests/2.out": nil, "tests/10.in": nil, "tests/10.out": nil],
         "sum-two/tests: is missing; put the hidden tests there as 01.in and 01.out, 02.in and 02.out, …"),
        ("an input without its output", ["tests/2.out": nil],
         "sum-two/tests/2.in: has no 2.out beside it; every input needs its expected output."),
        ("an output without its input", ["samples/01.in": nil],
         "sum-two/samples/01.out: has no 01.in beside it; every expected output needs its input."),
        ("a stray file among the tests", ["tests/notes.txt": "hi\n"],
         "sum-two/tests/notes.txt: is not a test file; tests/ holds only NN.in and NN.out pairs."),
        ("a solution without a verdict prefix", ["solutions/accepted-main.c": "int main(void) {}\n"],
         "sum-two/solutions/accepted-main.c: does not start with the verdict it must get: one of ac-, wa-, tle-, mle-, re-, ce-, ole-."),
        ("a solution with a misspelt verdict", ["solutions/wq-slow.c": "int main(void) {}\n"],
         "sum-two/solutions/wq-slow.c: does not start with the verdict it must get: one of ac-, wa-, tle-, mle-, re-, ce-, ole-; did you mean \"wa-\"?"),
        ("a solution in an unknown language", ["solutions/ac-main.rs": "fn main() {}\n"],
         "sum-two/solutions/ac-main.rs: has the extension .rs, which no configured language uses; known: .c, .cc, .cpp, .py."),
        ("no accepted solution", ["solutions/ac-main.c": nil],
         "sum-two/solutions: has no accepted program; add at least one named ac-<name>.<ext>."),
        ("no solutions folder", ["solutions/ac-main.c": nil, "solutions/wa-greedy.py": nil],
         "sum-two/solutions: is missing; add at least one accepted program named ac-<name>.<ext>."),
        ("checker: custom without a checker", ["challenge.yaml": challengeYAML(replacing: "checker", with: "checker: custom")],
         "sum-two: checker: custom needs checker.py or checker.c (run as `checker INPUT EXPECTED ACTUAL`, printing OK or NO and one line of feedback)."),
        ("checker: custom with two checkers",
         ["challenge.yaml": challengeYAML(replacing: "checker", with: "checker: custom"), "checker.py": "print('OK')\n", "checker.c": "int main(){}\n"],
         "sum-two: has both checker.py and checker.c; keep one."),
        ("a checker.py without checker: custom", ["checker.py": "print('OK')\n"],
         "sum-two/checker.py: is only used with checker: custom; set that in challenge.yaml or remove the file."),
        ("no challenge.yaml", ["challenge.yaml": nil],
         "sum-two/challenge.yaml: is missing; every challenge needs one."),
    ]

    @Test(arguments: badFiles)
    func reportsBadFiles(_ why: String, files: [String: String?], expected: String) throws {
        let folder = try ChallengeFolder(files: files)
        let problems = folder.problems()
        #expect(problems.contains(expected), "\(why): got \(problems)")
    }

    @Test func anEmptyTestsFolder() throws {
        let folder = try ChallengeFolder(files: [
            "tests/1.in": nil, "tests/1.out": nil, "tests/2.in": nil, "tests/2.out": nil, "tests/10.in": nil, "tests/10.out": nil,
        ])
        try FileManager.default.createDirectory(at: folder.folder.appendingPathComponent("tests"), withIntermediateDirectories: true)
        #expect(folder.problems().contains("sum-two/tests: has no tests; add at least 01.in and 01.out."))
    }

    @Test func aCustomCheckerNeedsItsLanguage() throws {
        let folder = try ChallengeFolder(
            yaml: challengeYAML(replacing: "languages", with: nil).replacingOccurrences(of: "checker: float:1e-6", with: "checker: custom"),
            files: ["checker.py": "print('OK')\n", "solutions/wa-greedy.py": nil])
        let loader = ChallengeLoader(displayRoot: folder.root, languages: ChallengeFolder.languages.filter { $0.id != "python3" })
        do {
            _ = try loader.load(folder.folder)
            Issue.record("expected an error")
        } catch {
            #expect(
                error.diagnostics.map(\.description).contains(
                    "sum-two/checker.py: needs the python3 language, which languages.yaml does not configure."))
        }
    }

    @Test func everyProblemIsReportedAtOnce() throws {
        let folder = try ChallengeFolder(
            yaml: challengeYAML(replacing: "difficulty", with: "difficulty: meduim"),
            files: ["tests/2.out": nil, "solutions/ac-main.rs": "fn main() {}\n"])
        let problems = folder.problems()
        #expect(problems.count == 3, "\(problems)")
        #expect(problems.contains { $0.hasPrefix("sum-two/challenge.yaml:2: difficulty") })
        #expect(problems.contains { $0.hasPrefix("sum-two/tests/2.in:") })
        #expect(problems.contains { $0.hasPrefix("sum-two/solutions/ac-main.rs:") })
    }

    @Test func rejectsABadSlug() throws {
        let folder = try ChallengeFolder(slug: "Sum_Two")
        #expect(
            folder.problems().contains(
                "Sum_Two: the folder name \"Sum_Two\" is not a valid slug: use lowercase letters, digits and dashes (at most 63)."))
    }

    @Test func theHashFollowsTheContent() throws {
        let folder = try ChallengeFolder()
        let first = try folder.loader.load(folder.folder).contentHash
        #expect(try folder.loader.load(folder.folder).contentHash == first)
        try "11\n".write(to: folder.folder.appendingPathComponent("tests/10.out"), atomically: true, encoding: .utf8)
        #expect(try folder.loader.load(folder.folder).contentHash != first)
    }

    @Test func aLibraryOfChallenges() throws {
        let folder = try ChallengeFolder()
        let library = ChallengeLibrary(root: folder.root, loader: folder.loader)
        #expect(try library.folders().map(\.lastPathComponent) == ["sum-two"])
        let all = try library.load()
        #expect(all.count == 1)
        #expect((try? all[0].get())?.challenge.slug == "sum-two")
        guard case .failure(let error) = try library.load(slugs: ["sum-tow"]).first else {
            Issue.record("expected a failure")
            return
        }
        #expect(error.description.hasSuffix("there is no challenge \"sum-tow\"; did you mean \"sum-two\"?"))
    }
}

// MARK: - languages.yaml

@Suite struct LanguageCatalogTests {
    static let valid = """
        - id: c
          name: "C (gcc)"
          image: breakfix/judge-c
          source: main.c
          extensions: [c]
          compile: [gcc, -O2, -o, main, main.c]
          run: [./main]
          version: [gcc, --version]
          compile_time: 20s
          compile_memory: 512m
          pids: 32
        - id: java
          name: Java
          image: breakfix/judge-java
          source: Main.java
          extensions: [java]
          compile: [javac, Main.java]
          run: [java, Main]
          version: [java, -version]
          time_factor: 2.5
          memory_extra: 64m
          pids: 256
          env: [HOME=/work, JAVA_TOOL_OPTIONS=-Xss64m]
          template: |
            public class Main {}
        - id: python3
          name: Python 3
          image: breakfix/judge-python
          source: main.py
          extensions: [py]
          run: [python3, main.py]
          version: [python3, --version]
        """

    @Test func parsesEntriesInOrderWithDefaults() throws {
        let catalog = try LanguageCatalog.parse(Self.valid, file: "languages.yaml")
        #expect(catalog.languages.map(\.id) == ["c", "java", "python3"])
        let c = try #require(catalog.language("c"))
        #expect(c.name == "C (gcc)")
        #expect(c.image == "breakfix/judge-c")
        #expect(c.sourceFile == "main.c")
        #expect(c.extensions == ["c"])
        #expect(c.compile == ["gcc", "-O2", "-o", "main", "main.c"])
        #expect(c.run == ["./main"])
        #expect(c.version == ["gcc", "--version"])
        #expect(c.compileTime == .seconds(20))
        #expect(c.compileMemoryBytes == 512 << 20)
        #expect(c.pids == 32)
        #expect(c.timeFactor == 1)
        #expect(c.memoryExtraBytes == 0)
        let java = try #require(catalog.language("java"))
        #expect(java.timeFactor == 2.5)
        #expect(java.memoryExtraBytes == 64 << 20)
        #expect(java.environment == ["HOME=/work", "JAVA_TOOL_OPTIONS=-Xss64m"])
        #expect(java.template == "public class Main {}\n")
        let python = try #require(catalog.language("python3"))
        #expect(python.compile == nil)
        #expect(python.compileTime == .seconds(30))
        #expect(python.compileMemoryBytes == 1 << 30)
        #expect(python.pids == 64)
        #expect(python.environment.isEmpty)
        #expect(catalog.language("rust") == nil)
    }

    @Test func loadsFromAFileAndReportsAMissingOne() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("breakfix-languages-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("languages.yaml")
        try Self.valid.write(to: url, atomically: true, encoding: .utf8)
        #expect(try LanguageCatalog.load(url, displayRoot: dir).languages.count == 3)
        do {
            _ = try LanguageCatalog.load(dir.appendingPathComponent("nope.yaml"), displayRoot: dir)
            Issue.record("expected an error")
        } catch {
            #expect(error.description == "nope.yaml: cannot be read; give the judge's language list with --languages or BREAKFIX_LANGUAGES.")
        }
    }

    static let entry = """
        - id: c
          name: C
          image: breakfix/judge-c
          source: main.c
          extensions: [c]
          run: [./main]
          version: [gcc, --version]
        """

    /// `entry` with the line of `key` replaced (nil: removed) or appended.
    static func entry(replacing key: String, with line: String?) -> String {
        var lines = entry.split(separator: "\n").map(String.init)
        if let i = lines.firstIndex(where: { $0.dropFirst(2).hasPrefix("\(key):") }) {
            let indent = String(lines[i].prefix(2))
            if let line { lines[i] = indent + line } else { lines.remove(at: i) }
        } else if let line {
            lines.append("  " + line)
        }
        return lines.joined(separator: "\n")
    }

    static let bad: [(String, String)] = [
        (entry(replacing: "run", with: nil),
         "languages.yaml:1: run is missing; every language needs id, name, image, source, extensions, run, version."),
        (entry + "\n" + entry(replacing: "name", with: "name: C again"),
         "languages.yaml:8: language \"c\" appears twice; keep one."),
        (entry(replacing: "compile_time", with: "compile_time: forever"),
         "languages.yaml:8: compile_time \"forever\" is not a duration up to 300s, like 30s."),
        (entry(replacing: "compile_time", with: "compile_time: 10m"),
         "languages.yaml:8: compile_time \"10m\" is not a duration up to 300s, like 30s."),
        (entry(replacing: "compile_memory", with: "compile_memory: 1m"),
         "languages.yaml:8: compile_memory \"1m\" is not a size of at least 32m, like 1g."),
        (entry(replacing: "time_factor", with: "time_factor: 0.5"),
         "languages.yaml:8: time_factor \"0.5\" is not a number from 1 to 10."),
        (entry(replacing: "pids", with: "pids: 2"),
         "languages.yaml:8: pids \"2\" is not a whole number from 8 to 4096."),
        (entry(replacing: "env", with: "env: [HOME]"),
         "languages.yaml:8: env entry \"HOME\" must look like NAME=value."),
        (entry(replacing: "run", with: "run: []"),
         "languages.yaml:6: run is empty; give the command as a list."),
        (entry(replacing: "run", with: "run: ./main"),
         "languages.yaml:6: run must be a list, like [a, b] or lines starting with \"- \"."),
        (entry(replacing: "compile", with: "comile: [gcc, main.c]"),
         "languages.yaml:8: unknown key \"comile\"; did you mean \"compile\"?"),
        (entry(replacing: "source", with: "source: ../main.c"),
         "languages.yaml:4: source \"../main.c\" must be a plain file name such as main.c."),
        (entry(replacing: "id", with: "id: C Lang"),
         "languages.yaml:1: id \"C Lang\" must be lowercase letters, digits, dashes."),
        (entry(replacing: "name", with: "name: C\n  id: d"),
         "languages.yaml:3: id appears twice; keep one."),
        (entry + "\n" + entry(replacing: "id", with: "id: d") + "\n  name: D again",
         "languages.yaml:15: name appears twice; keep one."),
        ("id: c\nname: C\n", "languages.yaml:1: must be a list of languages, each starting with \"- id: …\"."),
        ("[]", "languages.yaml: lists no language; add at least one."),
        ("- c\n", "languages.yaml:1: every entry must be a mapping with id:, name:, image:, source:, run: …"),
    ]

    @Test(arguments: bad)
    func reportsBadEntries(_ text: String, expected: String) {
        do {
            let catalog = try LanguageCatalog.parse(text, file: "languages.yaml")
            Issue.record("expected an error, got \(catalog.languages.map(\.id))")
        } catch {
            #expect(error.diagnostics.map(\.description).contains(expected), "got \(error.diagnostics.map(\.description))")
        }
    }
}

// MARK: - fuzzing challenge.yaml

@Suite struct ChallengeFuzzTests {
    static let challengeTokens = [
        "limits: ", "checker: ", "languages: ", "scoring: ", "statement: ", "{ time: ", "wall: ", "memory: ", "output: ",
        "float:", "float:1e-6", "float:0", "float:1e999", "float:-1", "flaot:1e-6", "custom", "exact", "tokens", "500ms",
        "0ms", "60s", "61s", "1.5s", "2m", "1e3ms", ".5s", "256m", "4g", "5g", "1k", "0", "[c, python3]", "[]", "[cobol]",
        "all", "first", "{ time: 2s, wall: 1s }",
    ]

    /// The scenario fuzzer's mutations, plus values only challenge.yaml knows.
    static func mutate(_ text: String, _ rng: inout SeededGenerator) -> String {
        var text = ScenarioMutator.mutate(text, &rng)
        if Bool.random(using: &rng) {
            var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            if !lines.isEmpty {
                let i = Int.random(in: 0..<lines.count, using: &rng)
                let token = challengeTokens.randomElement(using: &rng)!
                if let colon = lines[i].firstIndex(of: ":"), Bool.random(using: &rng) {
                    lines[i] = String(lines[i][...colon]) + " " + token
                } else {
                    lines.insert(token, at: i)
                }
            }
            text = lines.joined(separator: "\n")
        }
        return text
    }

    static func check(_ challenge: Challenge, _ label: String) {
        #expect(!challenge.title.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "\(label)")
        let limits = challenge.limits
        #expect(limits.cpuTime >= .milliseconds(50) && limits.cpuTime <= .seconds(60), "\(label): time \(limits.cpuTime)")
        #expect(limits.wallTime >= limits.cpuTime, "\(label): wall \(limits.wallTime) < time \(limits.cpuTime)")
        #expect(limits.memoryBytes >= 16 << 20 && limits.memoryBytes <= 4 << 30, "\(label): memory \(limits.memoryBytes)")
        #expect(limits.outputBytes >= 1 << 10 && limits.outputBytes <= 256 << 20, "\(label): output \(limits.outputBytes)")
        if case .float(let epsilon) = challenge.checker {
            #expect(epsilon > 0 && epsilon < 1 && epsilon.isFinite, "\(label): epsilon \(epsilon)")
        }
        for id in challenge.languages ?? [] {
            #expect(ChallengeFolder.languages.contains { $0.id == id }, "\(label): language \(id)")
        }
    }

    static func checkMessages(_ diagnostics: [ScenarioDiagnostic], _ label: String, _ text: String) {
        #expect(!diagnostics.isEmpty, "\(label): rejected without a reason:\n\(text)")
        for problem in diagnostics {
            #expect(!problem.file.isEmpty, "\(label): no file in \(problem)")
            #expect(problem.message.count >= 8 && problem.message.count < 800, "\(label): \(problem.message)")
            #expect(
                !problem.message.contains("Optional(") && !problem.message.contains("Yams.") && !problem.message.contains("Swift."),
                "\(label): internals in \(problem.message)")
        }
    }

    /// 2,000 mutated challenge.yaml texts through the parser: never a crash; a rejection always
    /// has diagnostics naming challenge.yaml, an acceptance is a usable challenge.
    @Test func malformedChallengeFilesGetClearErrors() {
        var rng = SeededGenerator(seed: 0xC0DE_C4A1)
        let loader = ChallengeLoader(languages: ChallengeFolder.languages)
        var rejected = 0
        for index in 0..<2000 {
            let text = Self.mutate(ChallengeFolder.validYAML, &rng)
            var problems = Problems(folder: "sum-two")
            let challenge = loader.parseMetadata(text, slug: "sum-two", file: "sum-two/challenge.yaml", problems: &problems)
            if let challenge {
                #expect(problems.list.isEmpty, "#\(index): accepted with problems \(problems.list)")
                Self.check(challenge, "#\(index)")
            } else {
                rejected += 1
                Self.checkMessages(problems.list, "#\(index)", text)
                #expect(problems.list.allSatisfy { $0.file == "sum-two/challenge.yaml" }, "#\(index): \(problems.list)")
            }
        }
        #expect(rejected >= 700, "only \(rejected) of 2000 mutations were malformed")
    }

    /// The same through whole folders on disk, for a smaller number: the loader's result is a
    /// bundle or a load error with diagnostics, each naming a file of the folder.
    @Test func malformedChallengeFoldersGetClearErrors() throws {
        var rng = SeededGenerator(seed: 0x5EED_0002)
        let folder = try ChallengeFolder()
        let yamlURL = folder.folder.appendingPathComponent("challenge.yaml")
        var rejected = 0
        for index in 0..<150 {
            let text = Self.mutate(ChallengeFolder.validYAML, &rng)
            try Data(text.utf8).write(to: yamlURL)
            do {
                let bundle = try folder.loader.load(folder.folder)
                Self.check(bundle.challenge, "#\(index)")
                #expect(bundle.tests.count == 4)
            } catch {
                rejected += 1
                Self.checkMessages(error.diagnostics, "#\(index)", text)
                #expect(error.diagnostics.allSatisfy { $0.file.hasPrefix("sum-two") }, "#\(index): \(error.diagnostics)")
            }
        }
        #expect(rejected >= 50, "only \(rejected) of 150 mutations were malformed")
    }
}
