import FluentKit
import SQLKit

extension Database {
    /// Both drivers' databases are SQL databases; raw SQL is used where Fluent's query builder cannot
    /// say it (row locking, `RETURNING`, index creation).
    func sql() throws -> any SQLDatabase {
        guard let sql = self as? any SQLDatabase else {
            throw PersistenceError.unavailable("The configured database driver does not support SQL.")
        }
        return sql
    }
}

extension Error {
    /// A unique, foreign-key or not-null constraint refused the write.
    var isConstraintFailure: Bool { (self as? any DatabaseError)?.isConstraintFailure ?? false }
}
