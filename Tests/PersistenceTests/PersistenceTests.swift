import Testing

/// One serialized root: the PostgreSQL backend shares one database, reset by every test.
@Suite(.serialized) struct PersistenceTests {}
