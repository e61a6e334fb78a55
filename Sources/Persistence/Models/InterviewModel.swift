import BreakfixCore
import FluentKit
import Foundation

/// A row of `interviews`; the scenario list is stored as JSON text.
final class InterviewModel: Model, @unchecked Sendable {
    static let schema = "interviews"

    @ID(custom: "id", generatedBy: .user) var id: String?
    @Field(key: "owner_id") var ownerID: UUID
    @Field(key: "scenarios") var scenarios: String
    @Field(key: "time_limit_seconds") var timeLimitSeconds: Int
    @Field(key: "clues_allowed") var cluesAllowed: Bool
    @Field(key: "note") var note: String
    @Field(key: "invite_token") var inviteToken: String
    @Field(key: "observer_token") var observerToken: String
    @Field(key: "invite_expires_at") var inviteExpiresAt: Date
    @OptionalField(key: "candidate_id") var candidateID: UUID?
    @OptionalField(key: "started_at") var startedAt: Date?
    @Field(key: "created_at") var createdAt: Date

    init() {}

    init(_ r: InterviewRecord) throws {
        id = r.id
        ownerID = r.ownerID
        scenarios = String(decoding: try JSONEncoder().encode(r.scenarios), as: UTF8.self)
        timeLimitSeconds = r.timeLimitSeconds
        cluesAllowed = r.cluesAllowed
        note = r.note
        inviteToken = r.inviteToken
        observerToken = r.observerToken
        inviteExpiresAt = r.inviteExpiresAt
        candidateID = r.candidateID
        startedAt = r.startedAt
        createdAt = r.createdAt
    }

    func record() throws -> InterviewRecord {
        let id = try requireID()
        guard let list = try? JSONDecoder().decode([String].self, from: Data(scenarios.utf8)) else {
            throw PersistenceError.corruptRow("interview \(id) has an unreadable scenario list")
        }
        return InterviewRecord(
            id: id, ownerID: ownerID, scenarios: list, timeLimitSeconds: timeLimitSeconds, cluesAllowed: cluesAllowed,
            note: note, inviteToken: inviteToken, observerToken: observerToken, inviteExpiresAt: inviteExpiresAt,
            candidateID: candidateID, startedAt: startedAt, createdAt: createdAt)
    }
}

final class InterviewNoteModel: Model, @unchecked Sendable {
    static let schema = "interview_notes"

    @ID(key: .id) var id: UUID?
    @Field(key: "interview_id") var interviewID: String
    @OptionalField(key: "session_id") var sessionID: String?
    @Field(key: "author") var author: String
    @Field(key: "at") var at: Date
    @Field(key: "text") var text: String

    init() {}

    init(_ r: InterviewNoteRecord) {
        id = r.id
        interviewID = r.interviewID
        sessionID = r.sessionID
        author = r.author
        at = r.at
        text = r.text
    }

    func record() throws -> InterviewNoteRecord {
        InterviewNoteRecord(
            id: try requireID(), interviewID: interviewID, sessionID: sessionID, author: author, at: at, text: text)
    }
}
