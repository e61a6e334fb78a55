import BreakfixCore
import Foundation

/// Ranks solves. Computed in Swift from the solved sessions of registered users (one query): the
/// tie-break rules are clearer here than as window functions written twice for two SQL dialects,
/// and the number of solved sessions is small next to what a query returns to a page. Move it to
/// SQL when the table gets large.
enum Leaderboard {
    /// One solved session of a registered user.
    struct Solve: Sendable, Equatable {
        var userID: UUID
        var username: String
        var scenario: String
        var seconds: Int
        var clues: Int
        var solvedAt: Date
    }

    /// Best run first: fastest, then fewest clues, then whoever solved it earlier.
    static func isBetter(_ a: Solve, than b: Solve) -> Bool {
        if a.seconds != b.seconds { return a.seconds < b.seconds }
        if a.clues != b.clues { return a.clues < b.clues }
        if a.solvedAt != b.solvedAt { return a.solvedAt < b.solvedAt }
        return a.username < b.username
    }

    /// Each user's best solve of each scenario.
    static func bestPerUserAndScenario(_ solves: [Solve]) -> [Solve] {
        struct Key: Hashable {
            var user: UUID
            var scenario: String
        }
        var best: [Key: Solve] = [:]
        for solve in solves {
            let key = Key(user: solve.userID, scenario: solve.scenario)
            if let current = best[key], !isBetter(solve, than: current) { continue }
            best[key] = solve
        }
        return Array(best.values)
    }

    /// `solves` all of one scenario. `solved` in a row is how many times the user solved it.
    static func scenario(_ solves: [Solve], limit: Int) -> [LeaderboardRow] {
        let timesSolved = Dictionary(grouping: solves, by: \.userID).mapValues(\.count)
        let ranked = bestPerUserAndScenario(solves).sorted(by: isBetter)
        return ranked.prefix(max(0, limit)).enumerated().map { offset, solve in
            LeaderboardRow(
                rank: offset + 1, username: solve.username, solveSeconds: solve.seconds, clues: solve.clues,
                solved: timesSolved[solve.userID] ?? 1)
        }
    }

    /// Users by distinct scenarios solved, then the total of their best times, then fewer clues on
    /// those runs, then whoever completed their set earlier. `solveSeconds` is the total of best
    /// times, `clues` the clues used on those best runs, `solved` the scenarios solved.
    static func overall(_ solves: [Solve], limit: Int) -> [LeaderboardRow] {
        struct Total {
            var username: String
            var solved = 0
            var seconds = 0
            var clues = 0
            var lastSolvedAt = Date.distantPast
        }
        var totals: [UUID: Total] = [:]
        for best in bestPerUserAndScenario(solves) {
            var total = totals[best.userID] ?? Total(username: best.username)
            total.solved += 1
            total.seconds += best.seconds
            total.clues += best.clues
            total.lastSolvedAt = max(total.lastSolvedAt, best.solvedAt)
            totals[best.userID] = total
        }
        let ranked = totals.values.sorted { a, b in
            if a.solved != b.solved { return a.solved > b.solved }
            if a.seconds != b.seconds { return a.seconds < b.seconds }
            if a.clues != b.clues { return a.clues < b.clues }
            if a.lastSolvedAt != b.lastSolvedAt { return a.lastSolvedAt < b.lastSolvedAt }
            return a.username < b.username
        }
        return ranked.prefix(max(0, limit)).enumerated().map { offset, total in
            LeaderboardRow(
                rank: offset + 1, username: total.username, solveSeconds: total.seconds, clues: total.clues,
                solved: total.solved)
        }
    }
}
