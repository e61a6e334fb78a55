import BreakfixCore
import FluentKit
import Foundation
import SQLKit

final class ContestModel: Model, @unchecked Sendable {
    static let schema = "contests"

    @ID(custom: "id", generatedBy: .user) var id: String?
    @Field(key: "title") var title: String
    @Field(key: "owner_id") var ownerID: UUID
    @Field(key: "starts_at") var startsAt: Date
    @Field(key: "ends_at") var endsAt: Date
    /// The items as JSON (`[{"kind":"challenge","slug":"…"}]`), read and written whole.
    @Field(key: "items") var items: String
    @Field(key: "scoring") var scoring: String
    @Field(key: "freeze_minutes") var freezeMinutes: Int
    @Field(key: "created_at") var createdAt: Date

    init() {}

    init(_ r: ContestRecord) {
        id = r.id
        title = r.title
        ownerID = r.ownerID
        startsAt = r.startsAt
        endsAt = r.endsAt
        items = String(decoding: (try? JSONEncoder().encode(r.items)) ?? Data("[]".utf8), as: UTF8.self)
        scoring = r.scoring.rawValue
        freezeMinutes = r.freezeMinutes
        createdAt = r.createdAt
    }

    func record() throws -> ContestRecord {
        let id = try requireID()
        guard let scoring = ContestScoring(rawValue: scoring),
            let items = try? JSONDecoder().decode([ContestItem].self, from: Data(items.utf8))
        else { throw PersistenceError.corruptRow("contest \(id) has unreadable items or scoring") }
        return ContestRecord(
            id: id, title: title, ownerID: ownerID, startsAt: startsAt, endsAt: endsAt, items: items, scoring: scoring,
            freezeMinutes: freezeMinutes, createdAt: createdAt)
    }
}

final class ContestParticipantModel: Model, @unchecked Sendable {
    static let schema = "contest_participants"

    @ID(key: .id) var id: UUID?
    @Field(key: "contest_id") var contestID: String
    @Field(key: "user_id") var userID: UUID
    @Field(key: "joined_at") var joinedAt: Date

    init() {}

    init(contestID: String, userID: UUID, joinedAt: Date) {
        self.id = UUID()
        self.contestID = contestID
        self.userID = userID
        self.joinedAt = joinedAt
    }
}

public struct FluentContestStore: ContestStore {
    let db: BreakfixDatabase

    public init(database: BreakfixDatabase) {
        self.db = database
    }

    public func create(_ contest: ContestRecord) async throws {
        try await ContestModel(contest).create(on: db.database())
    }

    public func contest(id: String) async throws -> ContestRecord? {
        try await ContestModel.find(id, on: db.database())?.record()
    }

    public func contests() async throws -> [ContestRecord] {
        try await ContestModel.query(on: db.database()).sort(\.$startsAt, .descending).all().map { try $0.record() }
    }

    public func join(contestID: String, userID: UUID, at: Date) async throws -> Bool {
        let database = try db.database()
        if try await isParticipant(contestID: contestID, userID: userID) { return false }
        do {
            try await ContestParticipantModel(contestID: contestID, userID: userID, joinedAt: at).create(on: database)
            return true
        } catch let error as any DatabaseError where error.isConstraintFailure {
            return false  // joined twice at once: the unique index kept one
        }
    }

    public func isParticipant(contestID: String, userID: UUID) async throws -> Bool {
        try await ContestParticipantModel.query(on: db.database())
            .filter(\.$contestID == contestID).filter(\.$userID == userID).count() > 0
    }

    public func participants(contestID: String) async throws -> [ContestParticipant] {
        let database = try db.database()
        let rows = try await ContestParticipantModel.query(on: database).filter(\.$contestID == contestID).all()
        let users = try await UserModel.query(on: database).filter(\.$id ~~ Set(rows.map(\.userID))).all()
        return users.compactMap { user in
            guard let id = user.id, let name = user.username else { return nil }
            return ContestParticipant(userID: id, username: name)
        }
    }

    public func attempts(contestID: String) async throws -> [ContestAttempt] {
        let database = try db.database()
        let sessions = try await SessionModel.query(on: database).filter(\.$contestID == contestID).all()
        var result: [ContestAttempt] = []
        if !sessions.isEmpty {
            let byID = Dictionary(sessions.compactMap { s in s.id.map { ($0, s) } }, uniquingKeysWith: { a, _ in a })
            let checks = try await AttemptModel.query(on: database).filter(\.$sessionID ~~ Set(byID.keys)).all()
            for check in checks where check.verdict == "OK" || check.verdict == "NO" {
                guard let session = byID[check.sessionID] else { continue }
                result.append(ContestAttempt(userID: session.userID, slug: session.scenario, at: check.at, accepted: check.verdict == "OK"))
            }
        }
        let submissions = try await SubmissionModel.query(on: database)
            .filter(\.$contestID == contestID).filter(\.$state == SubmissionState.done.rawValue).all()
        for s in submissions {
            guard let verdict = s.verdict, verdict != Verdict.IE.rawValue, verdict != Verdict.CE.rawValue else { continue }
            result.append(ContestAttempt(userID: s.userID, slug: s.challenge, at: s.createdAt, accepted: verdict == Verdict.AC.rawValue))
        }
        return result.sorted { $0.at < $1.at }
    }
}
