import ArgumentParser
import BreakfixCore
import Foundation
import Scenarios

struct ScenarioListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List the scenarios of a library.")

    @OptionGroup var library: LibraryOptions

    @Flag(name: .long, help: "Print JSON: [{slug, title, area, difficulty, time_limit_seconds, tags, init, user}].")
    var json = false

    struct Row: Encodable {
        var slug, title: String
        var area: String?
        var difficulty: String
        var time_limit_seconds: Int
        var tags: [String]
        var `init`: String
        var user: String
    }

    func run() throws {
        var rows: [Row] = []
        var broken = 0
        for result in try library.load([]) {
            switch result {
            case .success(let bundle):
                let s = bundle.scenario
                rows.append(
                    Row(
                        slug: s.slug, title: s.title, area: s.area, difficulty: s.difficulty.rawValue,
                        time_limit_seconds: s.timeLimitSeconds, tags: s.tags, init: s.initKind.rawValue, user: s.user))
            case .failure(let error):
                broken += 1
                printError("skipped \(error.slug): \(error.diagnostics.first?.description ?? "invalid")")
            }
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(rows), as: UTF8.self))
        } else {
            let width = max(4, rows.map(\.slug.count).max() ?? 0)
            print("SLUG".padding(toLength: width, withPad: " ", startingAt: 0) + "  AREA               LEVEL   TIME  TITLE")
            for r in rows {
                print(
                    r.slug.padding(toLength: width, withPad: " ", startingAt: 0) + "  "
                        + (r.area ?? "-").padding(toLength: 17, withPad: " ", startingAt: 0) + "  "
                        + r.difficulty.padding(toLength: 6, withPad: " ", startingAt: 0) + "  "
                        + "\(r.time_limit_seconds / 60)m".padding(toLength: 4, withPad: " ", startingAt: 0) + "  " + r.title)
            }
        }
        if broken > 0 {
            printError("\(broken) scenario(s) could not be loaded; run `breakfix scenario lint` for details.")
            throw ExitCode.failure
        }
    }
}
