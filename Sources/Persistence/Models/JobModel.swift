import FluentKit
import Foundation

/// A row of `jobs`: the database job queue (no broker). `kind` says what to do (`start_session`),
/// `subject` to what (a session id). Workers claim queued jobs atomically; the status columns let
/// an operator inspect and retry work by hand.
final class JobModel: Model, @unchecked Sendable {
    static let schema = "jobs"

    enum State: String, Sendable {
        case queued, running, done, failed
    }

    enum Kind {
        static let startSession = "start_session"
        static let judgeSubmission = "judge_submission"
    }

    @ID(key: .id) var id: UUID?
    @Field(key: "kind") var kind: String
    @Field(key: "subject") var subject: String
    @Field(key: "state") var state: String
    @Field(key: "attempts") var attempts: Int
    @OptionalField(key: "worker") var worker: String?
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "claimed_at") var claimedAt: Date?
    @OptionalField(key: "finished_at") var finishedAt: Date?
    @OptionalField(key: "error") var error: String?

    init() {}

    init(id: UUID = UUID(), kind: String, subject: String, createdAt: Date = Date()) {
        self.id = id
        self.kind = kind
        self.subject = subject
        self.state = State.queued.rawValue
        self.attempts = 0
        self.createdAt = createdAt
    }
}
