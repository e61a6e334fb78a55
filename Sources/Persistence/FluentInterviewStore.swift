import BreakfixCore
import FluentKit
import Foundation

/// Interviews and their notes in the Breakfix database.
public struct FluentInterviewStore: InterviewStore {
    let db: BreakfixDatabase

    public init(database: BreakfixDatabase) {
        self.db = database
    }

    public func createInterview(_ interview: InterviewRecord) async throws {
        try await InterviewModel(interview).create(on: db.database())
    }

    public func interview(id: String) async throws -> InterviewRecord? {
        try await InterviewModel.find(id, on: db.database())?.record()
    }

    public func interview(inviteToken: String) async throws -> InterviewRecord? {
        try await InterviewModel.query(on: db.database()).filter(\.$inviteToken == inviteToken).first()?.record()
    }

    public func interviews(ownerID: UUID) async throws -> [InterviewRecord] {
        try await InterviewModel.query(on: db.database())
            .filter(\.$ownerID == ownerID).sort(\.$createdAt, .descending).all().map { try $0.record() }
    }

    /// One conditional UPDATE: of two candidates racing, exactly one finds the column still empty.
    public func claimInvite(interviewID: String, candidateID: UUID, at: Date) async throws -> Bool {
        let database = try db.database()
        try await InterviewModel.query(on: database)
            .filter(\.$id == interviewID).filter(\.$candidateID == nil)
            .set(\.$candidateID, to: candidateID).set(\.$startedAt, to: at)
            .update()
        return try await InterviewModel.find(interviewID, on: database)?.candidateID == candidateID
    }

    public func addNote(_ note: InterviewNoteRecord) async throws {
        try await InterviewNoteModel(note).create(on: db.database())
    }

    public func notes(interviewID: String) async throws -> [InterviewNoteRecord] {
        try await InterviewNoteModel.query(on: db.database())
            .filter(\.$interviewID == interviewID).sort(\.$at).all().map { try $0.record() }
    }

    public func purgeUser(_ userID: UUID) async throws -> [String] {
        try await db.database().transaction { database in
            let ids = try await SessionModel.query(on: database).filter(\.$userID == userID).all().compactMap(\.id)
            if !ids.isEmpty {
                try await AttemptModel.query(on: database).filter(\.$sessionID ~~ ids).delete()
                try await ClueRevealModel.query(on: database).filter(\.$sessionID ~~ ids).delete()
                try await JobModel.query(on: database).filter(\.$subject ~~ ids).delete()
                try await SessionModel.query(on: database).filter(\.$id ~~ ids).delete()
            }
            try await TokenModel.query(on: database).filter(\.$userID == userID).delete()
            try await UserModel.query(on: database).filter(\.$id == userID).delete()
            return ids
        }
    }
}
