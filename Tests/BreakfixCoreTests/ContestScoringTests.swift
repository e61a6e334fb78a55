import Foundation
import Testing

@testable import BreakfixCore

/// `ContestScoreboard.compute` as a table: each case is a contest's tries and the exact board a
/// participant (or the owner) sees.
@Suite struct ContestScoringTests {
    static let start = Date(timeIntervalSince1970: 1_760_000_000)
    /// Two hours.
    static let end = start.addingTimeInterval(120 * 60)

    static let users: [String: UUID] = [
        "alice": UUID(uuidString: "00000000-0000-0000-0000-00000000000A")!,
        "bob": UUID(uuidString: "00000000-0000-0000-0000-00000000000B")!,
        "carol": UUID(uuidString: "00000000-0000-0000-0000-00000000000C")!,
        "dave": UUID(uuidString: "00000000-0000-0000-0000-00000000000D")!,
        "eve": UUID(uuidString: "00000000-0000-0000-0000-00000000000E")!,
    ]
    /// eve tries things but never joined.
    static let participants = ["dave", "carol", "bob", "alice"].map { ContestParticipant(userID: users[$0]!, username: $0) }
    /// a: easy challenge, b: medium scenario, c: hard challenge.
    static let items = [
        ContestItem(kind: .challenge, slug: "a"), ContestItem(kind: .scenario, slug: "b"),
        ContestItem(kind: .challenge, slug: "c"),
    ]
    static let difficulties: [String: Difficulty] = ["a": .easy, "b": .medium, "c": .hard]

    /// One try: who, what, when (minutes from the start, may be fractional or negative), accepted.
    struct Try: Sendable {
        var user: String
        var slug: String
        var minute: Double
        var ok: Bool
    }
    static func ok(_ user: String, _ slug: String, _ minute: Double) -> Try { Try(user: user, slug: slug, minute: minute, ok: true) }
    static func no(_ user: String, _ slug: String, _ minute: Double) -> Try { Try(user: user, slug: slug, minute: minute, ok: false) }

    /// What a board cell shows for one item.
    enum Cell: Sendable {
        case none
        case tried(Int)
        case solved(attempts: Int, minute: Int)
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var scoring: ContestScoring = .icpc
        var freezeMinutes = 0
        /// Minutes from the start.
        var now: Double = 130
        var unfrozen = false
        var tries: [Try]
        var frozen = false
        /// rank, username, solved, penalty, points, cells for a, b, c.
        var rows: [(Int, String, Int, Int, Int, [Cell])]

        var testDescription: String { name }
    }

    static func row(_ r: (Int, String, Int, Int, Int, [Cell])) -> ContestRow {
        let items = zip(["a", "b", "c"], r.5).map { slug, cell -> ContestItemScore in
            switch cell {
            case .none: ContestItemScore(slug: slug, solved: false, attempts: 0, minutes: nil)
            case .tried(let n): ContestItemScore(slug: slug, solved: false, attempts: n, minutes: nil)
            case .solved(let n, let minute): ContestItemScore(slug: slug, solved: true, attempts: n, minutes: minute)
            }
        }
        return ContestRow(rank: r.0, username: r.1, solved: r.2, penaltyMinutes: r.3, points: r.4, items: items)
    }

    static let nothing: [Cell] = [.none, .none, .none]

    /// The freeze scenario shared by several cases: freeze 30 min (at minute 90).
    static let freezeTries = [
        ok("alice", "a", 50),
        no("bob", "b", 89.99),  // before the freeze: shown
        ok("bob", "a", 95),  // after the freeze: hidden from the public board
        no("carol", "a", 90),  // exactly at the freeze: hidden
    ]

    static let cases: [Case] = [
        Case(
            name: "ICPC: equal solved and penalty share a rank (1, 1, 3), by name within; no tries means zeros",
            tries: [ok("carol", "a", 10), ok("bob", "a", 10), no("alice", "a", 3), ok("alice", "a", 5)],
            rows: [
                (1, "bob", 1, 10, 100, [.solved(attempts: 1, minute: 10), .none, .none]),
                (1, "carol", 1, 10, 100, [.solved(attempts: 1, minute: 10), .none, .none]),
                (3, "alice", 1, 25, 100, [.solved(attempts: 2, minute: 5), .none, .none]),
                (4, "dave", 0, 0, 0, nothing),
            ]),
        Case(
            name: "ICPC: more solved beats less penalty",
            tries: [ok("alice", "a", 100), ok("alice", "b", 110), ok("bob", "c", 1)],
            rows: [
                (1, "alice", 2, 210, 300, [.solved(attempts: 1, minute: 100), .solved(attempts: 1, minute: 110), .none]),
                (2, "bob", 1, 1, 300, [.none, .none, .solved(attempts: 1, minute: 1)]),
                (3, "carol", 0, 0, 0, nothing),
                (3, "dave", 0, 0, 0, nothing),
            ]),
        Case(
            name: "penalty: whole minutes to the first solve + 20 per rejected try before it, summed over items",
            tries: [
                no("alice", "a", 3), no("alice", "a", 7), ok("alice", "a", 12.9), ok("alice", "b", 30),
                no("bob", "c", 1), no("bob", "c", 2),
            ],
            rows: [
                (1, "alice", 2, 12 + 40 + 30, 300, [.solved(attempts: 3, minute: 12), .solved(attempts: 1, minute: 30), .none]),
                // Rejected tries of an unsolved item cost nothing.
                (2, "bob", 0, 0, 0, [.none, .none, .tried(2)]),
                (2, "carol", 0, 0, 0, nothing),
                (2, "dave", 0, 0, 0, nothing),
            ]),
        Case(
            name: "tries after an item's first solve do not count, whatever order they are given in",
            tries: [no("alice", "a", 20), ok("alice", "a", 30), ok("alice", "a", 10), no("bob", "a", 40), ok("bob", "a", 41)],
            rows: [
                (1, "alice", 1, 10, 100, [.solved(attempts: 1, minute: 10), .none, .none]),
                (2, "bob", 1, 61, 100, [.solved(attempts: 2, minute: 41), .none, .none]),
                (3, "carol", 0, 0, 0, nothing),
                (3, "dave", 0, 0, 0, nothing),
            ]),
        Case(
            name: "window: before the start and after the end do not count; exactly at the start and at the end do",
            now: 180,
            tries: [
                no("carol", "a", -1.0 / 60),  // one second before the start
                ok("carol", "a", 0),  // exactly at the start
                no("alice", "a", -30),
                ok("alice", "a", 120),  // exactly at the end
                ok("bob", "a", 120 + 1.0 / 60),  // one second after the end
                ok("dave", "b", 150),
            ],
            rows: [
                (1, "carol", 1, 0, 100, [.solved(attempts: 1, minute: 0), .none, .none]),
                (2, "alice", 1, 120, 100, [.solved(attempts: 1, minute: 120), .none, .none]),
                (3, "bob", 0, 0, 0, nothing),
                (3, "dave", 0, 0, 0, nothing),
            ]),
        Case(
            name: "freeze: in the last minutes the public board shows only tries before the freeze",
            freezeMinutes: 30, now: 100, tries: freezeTries, frozen: true,
            rows: [
                (1, "alice", 1, 50, 100, [.solved(attempts: 1, minute: 50), .none, .none]),
                (2, "bob", 0, 0, 0, [.none, .tried(1), .none]),
                (2, "carol", 0, 0, 0, nothing),
                (2, "dave", 0, 0, 0, nothing),
            ]),
        Case(
            name: "freeze: it starts exactly at the freeze minute",
            freezeMinutes: 30, now: 90, tries: [ok("alice", "a", 50), ok("bob", "a", 90)], frozen: true,
            rows: [
                (1, "alice", 1, 50, 100, [.solved(attempts: 1, minute: 50), .none, .none]),
                (2, "bob", 0, 0, 0, nothing),
                (2, "carol", 0, 0, 0, nothing),
                (2, "dave", 0, 0, 0, nothing),
            ]),
        Case(
            name: "freeze: not frozen before the freeze",
            freezeMinutes: 30, now: 89.5, tries: [ok("alice", "a", 50), ok("bob", "a", 89)],
            rows: [
                (1, "alice", 1, 50, 100, [.solved(attempts: 1, minute: 50), .none, .none]),
                (2, "bob", 1, 89, 100, [.solved(attempts: 1, minute: 89), .none, .none]),
                (3, "carol", 0, 0, 0, nothing),
                (3, "dave", 0, 0, 0, nothing),
            ]),
        Case(
            name: "freeze: the owner's unfrozen view shows every try",
            freezeMinutes: 30, now: 100, unfrozen: true, tries: freezeTries,
            rows: [
                (1, "alice", 1, 50, 100, [.solved(attempts: 1, minute: 50), .none, .none]),
                (2, "bob", 1, 95, 100, [.solved(attempts: 1, minute: 95), .tried(1), .none]),
                (3, "carol", 0, 0, 0, [.tried(1), .none, .none]),
                (3, "dave", 0, 0, 0, nothing),
            ]),
        Case(
            name: "freeze: after the end the board is revealed to everyone",
            freezeMinutes: 30, now: 120 + 1.0 / 60, tries: freezeTries,
            rows: [
                (1, "alice", 1, 50, 100, [.solved(attempts: 1, minute: 50), .none, .none]),
                (2, "bob", 1, 95, 100, [.solved(attempts: 1, minute: 95), .tried(1), .none]),
                (3, "carol", 0, 0, 0, [.tried(1), .none, .none]),
                (3, "dave", 0, 0, 0, nothing),
            ]),
        Case(
            name: "points: easy 100, medium 200, hard 300, then penalty",
            scoring: .points,
            tries: [
                ok("bob", "a", 5), ok("bob", "b", 6),  // 300 points, 11 minutes
                no("dave", "c", 2), ok("dave", "c", 4),  // 300 points, 24 minutes
                ok("alice", "c", 100),  // 300 points, 100 minutes
                ok("carol", "b", 1),  // 200 points
            ],
            rows: [
                (1, "bob", 2, 11, 300, [.solved(attempts: 1, minute: 5), .solved(attempts: 1, minute: 6), .none]),
                (2, "dave", 1, 24, 300, [.none, .none, .solved(attempts: 2, minute: 4)]),
                (3, "alice", 1, 100, 300, [.none, .none, .solved(attempts: 1, minute: 100)]),
                (4, "carol", 1, 1, 200, [.none, .solved(attempts: 1, minute: 1), .none]),
            ]),
        Case(
            name: "points: one hard item beats two easy ones; equal points and penalty share a rank",
            scoring: .points,
            tries: [ok("alice", "c", 50), ok("bob", "a", 1), ok("bob", "a", 2), ok("carol", "a", 1), ok("dave", "a", 1)],
            rows: [
                (1, "alice", 1, 50, 300, [.none, .none, .solved(attempts: 1, minute: 50)]),
                (2, "bob", 1, 1, 100, [.solved(attempts: 1, minute: 1), .none, .none]),
                (2, "carol", 1, 1, 100, [.solved(attempts: 1, minute: 1), .none, .none]),
                (2, "dave", 1, 1, 100, [.solved(attempts: 1, minute: 1), .none, .none]),
            ]),
        Case(
            name: "items not in the contest and people who did not join are ignored",
            tries: [ok("alice", "zzz", 1), no("alice", "zzz", 2), ok("eve", "a", 1), no("bob", "A", 1), ok("bob", "a", 3)],
            rows: [
                (1, "bob", 1, 3, 100, [.solved(attempts: 1, minute: 3), .none, .none]),
                (2, "alice", 0, 0, 0, nothing),
                (2, "carol", 0, 0, 0, nothing),
                (2, "dave", 0, 0, 0, nothing),
            ]),
    ]

    @Test(arguments: cases)
    func scoreboard(_ c: Case) {
        let contest = ContestRecord(
            id: "c1", title: "Spring cup", ownerID: UUID(), startsAt: Self.start, endsAt: Self.end, items: Self.items,
            scoring: c.scoring, freezeMinutes: c.freezeMinutes)
        let attempts = c.tries.map {
            ContestAttempt(
                userID: Self.users[$0.user]!, slug: $0.slug, at: Self.start.addingTimeInterval($0.minute * 60), accepted: $0.ok)
        }
        let board = ContestScoreboard.compute(
            contest: contest, participants: Self.participants, attempts: attempts, difficulties: Self.difficulties,
            now: Self.start.addingTimeInterval(c.now * 60), unfrozen: c.unfrozen)
        #expect(board.frozen == c.frozen)
        let expected = c.rows.map(Self.row)
        #expect(board.rows.count == expected.count)
        for (got, want) in zip(board.rows, expected) {
            #expect(got == want)
        }
    }

    @Test func freezeTimeAndRunningWindow() {
        var contest = ContestRecord(
            title: "t", ownerID: UUID(), startsAt: Self.start, endsAt: Self.end, items: Self.items, scoring: .icpc)
        #expect(contest.freezesAt == nil)
        contest.freezeMinutes = 15
        #expect(contest.freezesAt == Self.end.addingTimeInterval(-15 * 60))
        #expect(!contest.isRunning(at: Self.start.addingTimeInterval(-1)))
        #expect(contest.isRunning(at: Self.start))
        #expect(contest.isRunning(at: Self.end))
        #expect(!contest.isRunning(at: Self.end.addingTimeInterval(1)))
    }

    /// Without a freeze the board is never frozen, and an item whose difficulty is unknown (its
    /// scenario was removed from the server) is worth the easy points rather than nothing.
    @Test func unknownDifficultyIsWorthEasyPoints() {
        let contest = ContestRecord(
            title: "t", ownerID: UUID(), startsAt: Self.start, endsAt: Self.end, items: Self.items, scoring: .points)
        let board = ContestScoreboard.compute(
            contest: contest, participants: [ContestParticipant(userID: Self.users["alice"]!, username: "alice")],
            attempts: [ContestAttempt(userID: Self.users["alice"]!, slug: "c", at: Self.start.addingTimeInterval(60), accepted: true)],
            difficulties: [:], now: Self.end.addingTimeInterval(-1))
        #expect(!board.frozen)
        #expect(board.rows.map(\.points) == [100])
        #expect(board.rows.map(\.penaltyMinutes) == [1])
    }
}
