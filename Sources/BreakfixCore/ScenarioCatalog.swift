/// The scenarios a server offers, by slug.
public struct ScenarioCatalog: Sendable {
    public let bundles: [ScenarioBundle]
    private let bySlug: [String: ScenarioBundle]

    public init(_ bundles: [ScenarioBundle]) {
        self.bundles = bundles.sorted { ($0.scenario.difficulty, $0.scenario.title) < ($1.scenario.difficulty, $1.scenario.title) }
        self.bySlug = Dictionary(bundles.map { ($0.scenario.slug, $0) }, uniquingKeysWith: { first, _ in first })
    }

    public subscript(slug: String) -> ScenarioBundle? { bySlug[slug] }
}

/// 128 random bits as 32 hex digits, from the system's secure generator: session ids, tokens.
public func randomToken() -> String {
    var generator = SystemRandomNumberGenerator()
    return (0..<2).map { _ in
        let hex = String(generator.next() as UInt64, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }.joined()
}
